package org.segstream.track;

/**
 * How the processor tracks objects.
 *
 * @param backgroundClass the class that is not an object (the model's {@code backgroundClass}); every other class
 *     is foreground, merged
 * @param minArea components of fewer pixels are not objects: the contour stage's minimum area, px
 * @param maxLostFrames how many frames an object unseen keeps its id
 * @param maxStreams how many streams' trackers are kept; the least recently seen one beyond is forgotten (it starts
 *     again empty, with ids from a fresh base, if it comes back)
 */
public record TrackerSettings(int backgroundClass, double minArea, int maxLostFrames, int maxStreams) {
  /** About a second at 30 frames/s: a short occlusion keeps the id. */
  public static final int DEFAULT_MAX_LOST_FRAMES = 30;

  public TrackerSettings {
    if (backgroundClass < 0 || backgroundClass > 255) {
      throw new IllegalArgumentException("the background class must be 0..255, got " + backgroundClass);
    }
    if (!(minArea >= 0)) {
      throw new IllegalArgumentException("the smallest object area must be >= 0 px, got " + minArea);
    }
    if (maxLostFrames < 0) {
      throw new IllegalArgumentException("the lost-object memory must be 0 frames or more, got " + maxLostFrames);
    }
    if (maxStreams < 1) {
      throw new IllegalArgumentException("the tracker must keep at least 1 stream, got " + maxStreams);
    }
  }
}
