package org.segstream.refine;

/** A closed polygon in frame pixels (vertex i = (xs[i], ys[i]); the last vertex joins the first). */
public record Polyline(int[] xs, int[] ys) {
  public Polyline {
    if (xs.length != ys.length) {
      throw new IllegalArgumentException("polyline has " + xs.length + " x and " + ys.length + " y coordinates");
    }
  }

  public int size() {
    return xs.length;
  }

  /** The shoelace area of the polygon through the vertices (pixel centres), always ≥ 0. */
  public double polygonArea() {
    long twice = 0;
    for (int i = 0, j = xs.length - 1; i < xs.length; j = i++) {
      twice += (long) xs[j] * ys[i] - (long) xs[i] * ys[j];
    }
    return Math.abs(twice) / 2.0;
  }
}
