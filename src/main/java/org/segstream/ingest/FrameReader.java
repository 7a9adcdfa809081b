package org.segstream.ingest;

/** An opened {@link FrameSource}: hands out frames in order until the source ends. One owner, one thread. */
public interface FrameReader extends AutoCloseable {

  /** The next frame, or null when the source has ended. */
  CapturedFrame next();

  /** The source's nominal frame rate (frames/s), or 0 when it does not say. */
  double frameRate();

  /** The source's frame width and height in pixels as its decoder reports them. */
  int width();

  int height();

  /** Releases the decoder; never throws. */
  @Override
  void close();
}
