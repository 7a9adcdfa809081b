package org.segstream.synth;

/**
 * A shape in unit object coordinates: the shape is {(u, v) : contains(u, v)}, and lies inside the disc of
 * radius {@link #extent()}.
 */
sealed interface Outline {
  boolean contains(double u, double v);

  double extent();

  record Ellipse() implements Outline {
    @Override
    public boolean contains(double u, double v) {
      return u * u + v * v <= 1;
    }

    @Override
    public double extent() {
      return 1;
    }
  }

  /** |u|^p + |v|^p ≤ 1 with an integer p, so no Math.pow per pixel. */
  record Superellipse(int exponent) implements Outline {
    @Override
    public boolean contains(double u, double v) {
      double au = Math.abs(u);
      double av = Math.abs(v);
      if (au > 1 || av > 1) {
        return false;
      }
      double pu = au;
      double pv = av;
      for (int i = 1; i < exponent; i++) {
        pu *= au;
        pv *= av;
      }
      return pu + pv <= 1;
    }

    @Override
    public double extent() {
      return Math.sqrt(2) * Math.pow(2, -1.0 / exponent);
    }
  }

  /** A star-shaped blob: radius r(θ) = 1 + Σ a_k cos(kθ + φ_k), k = 2, 3, ... */
  record Blob(double[] amplitudes, double[] phaseCos, double[] phaseSin, double extent, double innerRadius)
      implements Outline {
    static Blob of(double[] amplitudes, double[] phases) {
      double[] cos = new double[phases.length];
      double[] sin = new double[phases.length];
      double sum = 0;
      for (int k = 0; k < phases.length; k++) {
        cos[k] = Math.cos(phases[k]);
        sin[k] = Math.sin(phases[k]);
        sum += Math.abs(amplitudes[k]);
      }
      return new Blob(amplitudes, cos, sin, 1 + sum, 1 - sum);
    }

    @Override
    public boolean contains(double u, double v) {
      double r2 = u * u + v * v;
      if (r2 > extent * extent) {
        return false;
      }
      if (r2 <= innerRadius * innerRadius) {
        return true;
      }
      double r = Math.sqrt(r2);
      double c1 = u / r;
      double s1 = v / r;
      // cos(kθ), sin(kθ) by repeated complex multiplication instead of atan2 + cos.
      double ck = c1;
      double sk = s1;
      double radius = 1;
      for (int k = 0; k < amplitudes.length; k++) {
        double c = ck * c1 - sk * s1;
        double s = sk * c1 + ck * s1;
        ck = c;
        sk = s;
        radius += amplitudes[k] * (ck * phaseCos[k] - sk * phaseSin[k]);
      }
      return r <= radius;
    }
  }

  /** A simple polygon (crossing-number test), vertices within the unit disc. */
  record Polygon(double[] xs, double[] ys) implements Outline {
    @Override
    public boolean contains(double u, double v) {
      boolean inside = false;
      int n = xs.length;
      for (int i = 0, j = n - 1; i < n; j = i++) {
        if ((ys[i] > v) != (ys[j] > v) && u < (xs[j] - xs[i]) * (v - ys[i]) / (ys[j] - ys[i]) + xs[i]) {
          inside = !inside;
        }
      }
      return inside;
    }

    @Override
    public double extent() {
      return 1;
    }
  }
}
