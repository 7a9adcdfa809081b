package org.segstream.refine;

/** A cheaper e^x for the mean-field update, where it is the largest cost after message passing. */
final class FastMath {
  /** Table steps per unit of x. */
  private static final int STEPS = 128;
  /** Below e^−RANGE (about 1e−14) the result is clamped: such a label is out of the running anyway. */
  private static final int RANGE = 32;
  private static final float[] TABLE = new float[RANGE * STEPS + 2];

  static {
    for (int i = 0; i < TABLE.length; i++) {
      TABLE[i] = (float) Math.exp(-(double) i / STEPS);
    }
  }

  private FastMath() {}

  /**
   * e^x for x ≤ 0, by linear interpolation in a 16 KB table: relative error below 1e−5, about twice
   * as fast as a polynomial and five times faster than Math.exp here. x below −32 gives e^−32.
   */
  static float expNonPositive(float x) {
    float t = -x * STEPS;
    if (!(t < RANGE * STEPS)) {
      t = RANGE * STEPS; // NaN too
    }
    int i = (int) t;
    float a = TABLE[i];
    return a + (t - i) * (TABLE[i + 1] - a);
  }
}
