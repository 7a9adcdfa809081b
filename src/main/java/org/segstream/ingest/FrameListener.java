package org.segstream.ingest;

/** Sees each frame as it is published (the demo keeps them for its overlay video). */
@FunctionalInterface
public interface FrameListener {
  void published(PublishedFrame frame);
}
