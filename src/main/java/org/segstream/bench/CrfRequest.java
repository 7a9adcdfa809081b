package org.segstream.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.segstream.config.InvalidSettingException;
import org.segstream.refine.CrfParams;

/**
 * What {@link CrfBenchmark} times.
 *
 * @param referenceDir the dense-CRF reference scenes (crf-reference/)
 * @param model also time this model per frame, or null
 * @param photo also time this photo at {@code photoLongSide} px, or null
 * @param photoLongSide the long side the processor refines a frame at by default
 * @param parameters which parameter sets to time: reference, tuned or both
 * @param original where the original C++ code is, to time it in the same run, or null
 * @param threads also time ours with one frame split over this many threads (1: only one thread)
 */
public record CrfRequest(int iterations, int repeat, int warmup, Path referenceDir, Path model, Path photo,
    int photoLongSide, Parameters parameters, OriginalCode original, int threads) {

  /** The parameter sets {@code bench crf} can time. */
  public enum Parameters { REFERENCE, TUNED, BOTH }

  /** A parameter set with the name the table shows. */
  record NamedParams(String name, CrfParams params) {}

  /**
   * The original dense CRF: its source folder (built into {@code buildDir} unless built there before),
   * or a binary built before; exactly one of {@code toolDir} and {@code binary} is set.
   */
  public record OriginalCode(Path toolDir, Path buildDir, Path binary) {
    public OriginalCode {
      if ((toolDir == null) == (binary == null)) {
        throw new InvalidSettingException("reference-tool", "give either the reference's source folder or its binary, not both");
      }
    }
  }

  public CrfRequest {
    if (repeat < 1) {
      throw new InvalidSettingException("repeat", "timed runs per size must be at least 1, got " + repeat);
    }
    if (warmup < 0) {
      throw new InvalidSettingException("warmup", "warm-up runs must be 0 or more, got " + warmup);
    }
    if (threads < 1) {
      throw new InvalidSettingException("threads", "threads per frame must be at least 1, got " + threads);
    }
    if (parameters == null) {
      throw new InvalidSettingException("params", "choose reference, tuned or both");
    }
    withIterations(CrfParams.REFERENCE, iterations);
  }

  /** The parameter sets to time, each at this request's iterations. */
  List<NamedParams> paramSets() {
    List<NamedParams> sets = new ArrayList<>();
    if (parameters != Parameters.TUNED) {
      sets.add(new NamedParams("reference", withIterations(CrfParams.REFERENCE, iterations)));
    }
    if (parameters != Parameters.REFERENCE) {
      sets.add(new NamedParams("tuned", withIterations(CrfParams.TUNED, iterations)));
    }
    return sets;
  }

  /** The original code ready to run (built first if needed), or null when none was given. */
  ReferenceCrf originalCode() throws IOException {
    if (original == null) {
      return null;
    }
    return original.binary() != null ? ReferenceCrf.at(original.binary())
        : ReferenceCrf.build(original.toolDir(), original.buildDir());
  }

  private static CrfParams withIterations(CrfParams params, int iterations) {
    try {
      return params.withIterations(iterations);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException("iterations", "mean-field iterations: " + e.getMessage(), e);
    }
  }
}
