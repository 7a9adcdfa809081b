package org.segstream.process;

import java.time.Duration;

/** What the processor does with each batch, validated at start-up. */
public record ProcessorSettings(
    int batchSize, Duration batchMaxDelay, Refinement refinement, double contourEpsilon, double contourMinArea) {

  public static final int DEFAULT_BATCH_SIZE = 8;
  public static final Duration DEFAULT_BATCH_MAX_DELAY = Duration.ofMillis(20);

  public ProcessorSettings {
    if (batchSize < 1 || batchSize > 256) {
      throw new IllegalArgumentException("--batch-size must be between 1 and 256, got " + batchSize);
    }
    if (batchMaxDelay.isNegative() || batchMaxDelay.isZero()) {
      throw new IllegalArgumentException("--batch-max-delay-ms must be positive, got " + batchMaxDelay.toMillis());
    }
    if (contourEpsilon < 0) {
      throw new IllegalArgumentException("--contour-epsilon must be >= 0 px, got " + contourEpsilon);
    }
    if (contourMinArea < 0) {
      throw new IllegalArgumentException("--contour-min-area must be >= 0 px², got " + contourMinArea);
    }
  }

  public static ProcessorSettings defaults(Refinement refinement) {
    return new ProcessorSettings(DEFAULT_BATCH_SIZE, DEFAULT_BATCH_MAX_DELAY, refinement, 1.5, 16);
  }
}
