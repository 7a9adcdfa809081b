package org.segstream.metrics;

import java.util.Arrays;
import java.util.Collection;

/** Percentiles of a set of latencies (nearest-rank), in milliseconds. */
public record LatencySummary(int count, double p50, double p95, double p99, double max, double mean) {

  public static LatencySummary of(Collection<? extends Number> millis) {
    double[] v = millis.stream().mapToDouble(Number::doubleValue).sorted().toArray();
    if (v.length == 0) {
      return new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    return new LatencySummary(
        v.length, rank(v, 0.50), rank(v, 0.95), rank(v, 0.99), v[v.length - 1], Arrays.stream(v).average().orElse(Double.NaN));
  }

  /** Nearest-rank percentile: the smallest value with at least q of the set at or below it. */
  static double rank(double[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
