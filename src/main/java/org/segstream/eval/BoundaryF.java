package org.segstream.eval;

import org.segstream.image.LabelMap;

/**
 * Boundary F-measure at a tolerance of t pixels. A boundary pixel is one with a 4-neighbour (inside the image)
 * of a different label. A predicted boundary pixel is matched when a true boundary pixel lies within Euclidean
 * distance t (t = 0: the same pixel), and vice versa; precision = matched predicted / predicted, recall =
 * matched true / true, F = 2PR / (P + R). One image: both boundaries empty → 1, one empty → 0. Distances come
 * from an exact Euclidean distance transform (Felzenszwalb–Huttenlocher), O(pixels).
 *
 * <p>An instance averages the per-image scores of a set (the design's "per image, averaged"); not
 * thread-safe: one per thread, then {@link #merge}.
 */
public final class BoundaryF {
  private static final double FAR = 1e20;

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
    double limit = (double) tolerancePx * tolerancePx;
    long predMatched = countMatched(predEdge, squaredDistanceTo(truthEdge, w, h), limit);
    long truthMatched = countMatched(truthEdge, squaredDistanceTo(predEdge, w, h), limit);
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

  private static long countMatched(boolean[] edge, double[] squaredDistance, double limit) {
    long n = 0;
    for (int i = 0; i < edge.length; i++) {
      if (edge[i] && squaredDistance[i] <= limit) {
        n++;
      }
    }
    return n;
  }

  /** Exact squared Euclidean distance of every pixel to the nearest seed: columns, then rows. */
  static double[] squaredDistanceTo(boolean[] seeds, int w, int h) {
    double[] d = new double[w * h];
    for (int i = 0; i < d.length; i++) {
      d[i] = seeds[i] ? 0 : FAR;
    }
    int n = Math.max(w, h);
    double[] f = new double[n];
    double[] out = new double[n];
    int[] v = new int[n];
    double[] z = new double[n + 1];
    for (int x = 0; x < w; x++) {
      for (int y = 0; y < h; y++) {
        f[y] = d[y * w + x];
      }
      transform1d(f, h, out, v, z);
      for (int y = 0; y < h; y++) {
        d[y * w + x] = out[y];
      }
    }
    for (int y = 0; y < h; y++) {
      System.arraycopy(d, y * w, f, 0, w);
      transform1d(f, w, out, v, z);
      System.arraycopy(out, 0, d, y * w, w);
    }
    return d;
  }

  /** The lower envelope of parabolas (Felzenszwalb & Huttenlocher 2012, "Distance Transforms of Sampled Functions"). */
  private static void transform1d(double[] f, int n, double[] d, int[] v, double[] z) {
    int k = 0;
    v[0] = 0;
    z[0] = Double.NEGATIVE_INFINITY;
    z[1] = Double.POSITIVE_INFINITY;
    for (int q = 1; q < n; q++) {
      double s = intersection(f, q, v[k]);
      while (s <= z[k]) {
        k--;
        s = intersection(f, q, v[k]);
      }
      k++;
      v[k] = q;
      z[k] = s;
      z[k + 1] = Double.POSITIVE_INFINITY;
    }
    k = 0;
    for (int q = 0; q < n; q++) {
      while (z[k + 1] < q) {
        k++;
      }
      double dq = q - v[k];
      d[q] = dq * dq + f[v[k]];
    }
  }

  private static double intersection(double[] f, int q, int p) {
    return ((f[q] + (double) q * q) - (f[p] + (double) p * p)) / (2.0 * q - 2.0 * p);
  }

  private static void checkTolerance(int tolerancePx) {
    if (tolerancePx < 0) {
      throw new IllegalArgumentException("boundary tolerance must be ≥ 0 px, got " + tolerancePx);
    }
  }
}
