package org.segstream.eval;

import java.util.Map;

/**
 * A minimum mIoU checked against every refine mode run: the first mode below it (in run order) fails the gate.
 *
 * @param failedMode the first mode whose mIoU is below the minimum (a NaN mIoU is below), null when the gate passed
 * @param failedMeanIoU that mode's mIoU, NaN when the gate passed
 */
public record QualityGate(double minMeanIoU, String failedMode, double failedMeanIoU) {

  /** The gate over the modes' mIoUs, or null when there is no minimum. */
  public static QualityGate check(Double minMeanIoU, Map<String, Double> meanIoUByMode) {
    if (minMeanIoU == null) {
      return null;
    }
    for (var e : meanIoUByMode.entrySet()) {
      if (!(e.getValue() >= minMeanIoU)) {
        return new QualityGate(minMeanIoU, e.getKey(), e.getValue());
      }
    }
    return new QualityGate(minMeanIoU, null, Double.NaN);
  }

  public boolean passed() {
    return failedMode == null;
  }
}
