package org.segstream.train;

import java.util.Arrays;
import org.segstream.config.InvalidSettingException;

/**
 * Learning rate as a function of training progress p in [0, 1] (the larger of steps done / steps
 * planned and seconds spent / time budget), after a linear warm-up over the first {@link #WARMUP}.
 * A pure function of progress, so a resumed run continues with the rate it stopped at.
 */
public enum Schedule {
  CONSTANT("constant"),
  /** Half a cosine from the base rate down to {@link #FLOOR} of it. */
  COSINE("cosine"),
  /** The base rate, ×0.3 from half-way, ×0.1 from 80%. */
  STEP("step");

  static final double WARMUP = 0.03;
  static final double FLOOR = 0.02;

  private final String id;

  Schedule(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public float rate(float base, double progress) {
    double p = Math.max(0, Math.min(1, progress));
    double warm = this == CONSTANT ? 1 : Math.min(1, (p + 1e-3) / WARMUP);
    double factor = switch (this) {
      case CONSTANT -> 1;
      case COSINE -> FLOOR + (1 - FLOOR) * 0.5 * (1 + Math.cos(Math.PI * p));
      case STEP -> p < 0.5 ? 1 : p < 0.8 ? 0.3 : 0.1;
    };
    return (float) (base * warm * factor);
  }

  public static Schedule parse(String id) {
    return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst()
        .orElseThrow(() -> new InvalidSettingException("schedule", "unknown learning-rate schedule '" + id + "': choose constant, cosine or step"));
  }
}
