package org.segstream.bench;

import java.nio.file.Path;
import org.segstream.config.InvalidSettingException;
import org.segstream.refine.CrfParams;

/**
 * What {@link CrfBenchmark} times.
 *
 * @param referenceDir the dense-CRF reference scenes (crf-reference/)
 * @param model also time this model per frame, or null
 * @param photo also time this photo at {@code photoLongSide} px, or null
 * @param photoLongSide the long side the processor refines a frame at by default
 */
public record CrfRequest(int iterations, int repeat, int warmup, Path referenceDir, Path model, Path photo, int photoLongSide) {
  public CrfRequest {
    if (repeat < 1) {
      throw new InvalidSettingException("repeat", "timed runs per size must be at least 1, got " + repeat);
    }
    if (warmup < 0) {
      throw new InvalidSettingException("warmup", "warm-up runs must be 0 or more, got " + warmup);
    }
    params(iterations);
  }

  /** The reference parameters at this many mean-field iterations. */
  public CrfParams params() {
    return params(iterations);
  }

  private static CrfParams params(int iterations) {
    try {
      return CrfParams.REFERENCE.withIterations(iterations);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException("iterations", "mean-field iterations: " + e.getMessage(), e);
    }
  }
}
