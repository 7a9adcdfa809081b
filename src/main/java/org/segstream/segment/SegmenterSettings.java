package org.segstream.segment;

import java.time.Duration;
import java.util.Optional;
import org.segstream.temporal.TemporalSettings;

/**
 * What the compute core needs to know besides its model: how to refine, how to trace contours, and the largest
 * frame it decodes. The processor's settings are one implementation; evaluation passes the same.
 */
public interface SegmenterSettings {
  /** Whether and at what size the dense CRF runs. */
  Refinement refinement();

  /** Douglas–Peucker tolerance of the contours, px. */
  double contourEpsilon();

  /** Contours of smaller area are left out, px². */
  double contourMinArea();

  /** The largest frame (width × height, as its header declares it) that is decoded. */
  long maxFramePixels();

  /** Capture → result within this, or 0 for no budget (every frame fully processed, however late). */
  default Duration latencyBudget() {
    return Duration.ZERO;
  }

  /**
   * How a stream's frames are blended with the frames before them, or empty for no temporal step (every frame
   * segmented as if it were alone). Only frames submitted with their stream position take part.
   */
  default Optional<TemporalSettings> temporalSmoothing() {
    return Optional.empty();
  }
}
