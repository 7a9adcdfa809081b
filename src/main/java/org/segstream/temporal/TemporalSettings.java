package org.segstream.temporal;

/**
 * How each stream's probabilities are blended with its previous frame's, at the model's input size.
 *
 * @param previousWeight the share of the previous (blended) probabilities in a pixel whose colour did not change,
 *     0 ≤ w < 1: an exponential moving average whose memory is about 1 / (1 − w) frames
 * @param stillDelta a pixel whose largest channel changed by at most this (0..255) since the previous frame is
 *     still: it keeps {@code previousWeight} of the previous probabilities. The previous frame is first shifted by
 *     the whole-frame movement that matches the two best (a camera that pans), so "changed" means moved against
 *     the background
 * @param movingDelta a pixel whose largest channel changed by this or more is moving: it keeps nothing of the
 *     previous frame (no trail behind a moving object); between the two the share falls linearly
 * @param sceneCutDelta a frame whose mean channel change from the previous one (over every pixel and channel, 0..255,
 *     the frames aligned) is above this is a new scene: the stream starts afresh, as after a discontinuity
 * @param maxStreams how many streams' states are kept; the least recently seen one beyond is forgotten (it starts
 *     afresh if it comes back): the processor's stream cap
 */
public record TemporalSettings(double previousWeight, int stillDelta, int movingDelta, double sceneCutDelta, int maxStreams) {
  /** Half the previous frame in a still pixel: a one-frame miss of a confident object is still filled. */
  public static final double DEFAULT_PREVIOUS_WEIGHT = 0.5;
  /** About the noise of a compressed camera frame after the resize to the model's input. */
  public static final int DEFAULT_STILL_DELTA = 8;
  public static final int DEFAULT_MOVING_DELTA = 32;
  /**
   * Consecutive frames of a handheld shot stay well under this (DAVIS {@code libby}, a running dog followed by the
   * camera: 9–14 aligned, 21–27 without aligning); a cut to another shot rarely does.
   */
  public static final double DEFAULT_SCENE_CUT_DELTA = 40;

  public TemporalSettings {
    if (!(previousWeight >= 0 && previousWeight < 1)) {
      throw new IllegalArgumentException("the previous frame's weight must be in [0, 1), got " + previousWeight);
    }
    if (stillDelta < 0 || movingDelta <= stillDelta || movingDelta > 255) {
      throw new IllegalArgumentException("the colour changes must satisfy 0 <= still < moving <= 255, got still "
          + stillDelta + ", moving " + movingDelta);
    }
    if (!(sceneCutDelta > 0)) {
      throw new IllegalArgumentException("the scene-cut colour change must be > 0, got " + sceneCutDelta);
    }
    if (maxStreams < 1) {
      throw new IllegalArgumentException("the temporal state must keep at least 1 stream, got " + maxStreams);
    }
  }

  /** The defaults, keeping at most {@code maxStreams} streams. */
  public static TemporalSettings defaults(int maxStreams) {
    return new TemporalSettings(DEFAULT_PREVIOUS_WEIGHT, DEFAULT_STILL_DELTA, DEFAULT_MOVING_DELTA, DEFAULT_SCENE_CUT_DELTA,
        maxStreams);
  }
}
