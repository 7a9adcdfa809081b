package org.segstream.telemetry;

import java.util.List;

/**
 * Whether resident memory stayed flat over a run: the spread (max − min) / min of the samples and
 * their least-squares slope. The soak's gate is the spread, as the deployment issue states it; the
 * slope tells a leak (rising) from a heap the JVM gave back (falling).
 *
 * @param samples how many samples were judged
 * @param minBytes the smallest resident set
 * @param maxBytes the largest resident set
 * @param spread (max − min) / min
 * @param slopeMbPerMinute least-squares trend, MB per minute
 */
public record MemoryTrend(int samples, long minBytes, long maxBytes, double spread, double slopeMbPerMinute) {

  /** One measurement: minutes since the start, resident bytes. */
  public record Point(double minute, long rssBytes) {}

  /** @throws IllegalArgumentException with fewer than two points, or a non-positive resident size */
  public static MemoryTrend of(List<Point> points) {
    if (points.size() < 2) {
      throw new IllegalArgumentException("a trend needs at least 2 samples, got " + points.size());
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    double meanMinute = 0;
    double meanMb = 0;
    for (Point p : points) {
      if (p.rssBytes() <= 0) {
        throw new IllegalArgumentException("resident memory unknown (" + p.rssBytes() + ") at minute " + p.minute());
      }
      min = Math.min(min, p.rssBytes());
      max = Math.max(max, p.rssBytes());
      meanMinute += p.minute() / points.size();
      meanMb += p.rssBytes() / 1e6 / points.size();
    }
    double num = 0;
    double den = 0;
    for (Point p : points) {
      num += (p.minute() - meanMinute) * (p.rssBytes() / 1e6 - meanMb);
      den += (p.minute() - meanMinute) * (p.minute() - meanMinute);
    }
    return new MemoryTrend(points.size(), min, max, (max - min) / (double) min, den == 0 ? 0 : num / den);
  }

  /** Flat when the spread is at most {@code maxSpread} (0.10 = 10 %). */
  public boolean flat(double maxSpread) {
    return spread <= maxSpread;
  }
}
