package org.segstream.eval;

import java.util.function.Consumer;

/**
 * The frames of a replayed input with their predictions, read again one at a time on demand, so an overlay video
 * can be drawn after the run without holding the video in memory.
 */
public interface PredictedFrames {
  /** The size and rate of the video to draw them into. */
  int width();

  int height();

  double fps();

  /** Reads the input again from its first frame, calling {@code action} for each frame in order. */
  void forEach(Consumer<PredictedFrame> action);
}
