package org.segstream.metrics;

import org.segstream.image.LabelMap;

/**
 * Boundary F-measure at a tolerance of t pixels. A boundary pixel is one with a 4-neighbour (inside the image)
 * of a different label. A predicted boundary pixel is matched when a true boundary pixel lies within Euclidean
 * distance t (t = 0: the same pixel), and vice versa; precision = matched predicted / predicted, recall =
 * matched true / true, F = 2PR / (P + R). One image: both boundaries empty → 1, one empty → 0. Matching is
 * exact in Euclidean distance: a per-row distance sweep, then 2t + 1 rows per boundary pixel, so O(pixels) for
 * the small tolerances in use.
 *
 * <p>An instance averages the per-image scores of a set (the design's "per image, averaged"); not
 * thread-safe: one per thread, then {@link #merge}.
 */
public final class BoundaryF {
  private final int tolerancePx;
  private double sum;
  private long images;

  public BoundaryF(int tolerancePx) {
    checkTolerance(tolerancePx);
    this.tolerancePx = tolerancePx;
  }

  public int tolerancePx() {
    return tolerancePx;
  }

  /** Scores one image, adds it to the average and returns its score. */
  public double add(LabelMap truth, LabelMap predicted) {
    double f = score(truth, predicted, tolerancePx);
    sum += f;
    images++;
    return f;
  }

  public BoundaryF merge(BoundaryF other) {
    if (other.tolerancePx != tolerancePx) {
      throw new IllegalArgumentException("cannot merge boundary F at " + other.tolerancePx + " px into one at "
          + tolerancePx + " px");
    }
    sum += other.sum;
    images += other.images;
    return this;
  }

  /** The mean per-image score; NaN before the first image. */
  public double mean() {
    return images == 0 ? Double.NaN : sum / images;
  }

  public long images() {
    return images;
  }

  /** The boundary F of one image pair (same size) at {@code tolerancePx} ≥ 0. */
  public static double score(LabelMap truth, LabelMap predicted, int tolerancePx) {
    checkTolerance(tolerancePx);
    if (truth.width() != predicted.width() || truth.height() != predicted.height()) {
      throw new IllegalArgumentException("truth is " + truth.width() + "x" + truth.height() + " but prediction is "
          + predicted.width() + "x" + predicted.height() + "; resize the prediction to the truth's size first");
    }
    boolean[] truthEdge = boundary(truth);
    boolean[] predEdge = boundary(predicted);
    long truthCount = count(truthEdge);
    long predCount = count(predEdge);
    if (truthCount == 0 && predCount == 0) {
      return 1.0;
    }
    if (truthCount == 0 || predCount == 0) {
      return 0.0;
    }
    int w = truth.width();
    int h = truth.height();
    long predMatched = countMatched(predEdge, truthEdge, w, h, tolerancePx);
    long truthMatched = countMatched(truthEdge, predEdge, w, h, tolerancePx);
    double precision = (double) predMatched / predCount;
    double recall = (double) truthMatched / truthCount;
    return precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
  }

  /** Pixels with a 4-neighbour of a different label. */
  static boolean[] boundary(LabelMap map) {
    int w = map.width();
    int h = map.height();
    byte[] l = map.labels();
    boolean[] edge = new boolean[l.length];
    for (int y = 0, i = 0; y < h; y++) {
      for (int x = 0; x < w; x++, i++) {
        byte v = l[i];
        edge[i] = (x > 0 && l[i - 1] != v) || (x + 1 < w && l[i + 1] != v) || (y > 0 && l[i - w] != v)
            || (y + 1 < h && l[i + w] != v);
      }
    }
    return edge;
  }

  private static long count(boolean[] mask) {
    long n = 0;
    for (boolean b : mask) {
      if (b) {
        n++;
      }
    }
    return n;
  }

  /**
   * How many {@code edge} pixels have a {@code target} pixel within Euclidean distance t: per row, the
   * horizontal distance to the nearest target pixel (capped at t + 1, two sweeps), then for each edge pixel
   * the 2t + 1 rows around it. O(pixels + edge pixels · t), exact.
   */
  private static long countMatched(boolean[] edge, boolean[] target, int w, int h, int t) {
    int cap = t + 1;
    int[] rowDistance = new int[w * h];
    for (int y = 0; y < h; y++) {
      int row = y * w;
      int d = cap;
      for (int x = 0; x < w; x++) {
        d = target[row + x] ? 0 : Math.min(cap, d + 1);
        rowDistance[row + x] = d;
      }
      d = cap;
      for (int x = w - 1; x >= 0; x--) {
        d = target[row + x] ? 0 : Math.min(cap, d + 1);
        rowDistance[row + x] = Math.min(rowDistance[row + x], d);
      }
    }
    long limit = (long) t * t;
    long matched = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (!edge[y * w + x]) {
          continue;
        }
        for (int dy = -Math.min(t, y); dy <= Math.min(t, h - 1 - y); dy++) {
          long dx = rowDistance[(y + dy) * w + x];
          if (dx * dx + (long) dy * dy <= limit) {
            matched++;
            break;
          }
        }
      }
    }
    return matched;
  }

  private static void checkTolerance(int tolerancePx) {
    if (tolerancePx < 0) {
      throw new IllegalArgumentException("boundary tolerance must be ≥ 0 px, got " + tolerancePx);
    }
  }
}
