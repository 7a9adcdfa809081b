package org.segstream.synth;

/** A pattern in pixel units: mix(u, v) in [0, 1] blends an appearance's two colours. */
sealed interface Texture {
  double mix(double u, double v);

  record Stripes(double radiansPerPixel, double cos, double sin) implements Texture {
    @Override
    public double mix(double u, double v) {
      return 0.5 + 0.5 * FastSin.sin(radiansPerPixel * (u * cos + v * sin));
    }
  }

  record Noise(ValueNoise noise, double cellsPerPixel) implements Texture {
    @Override
    public double mix(double u, double v) {
      return noise.at(u * cellsPerPixel, v * cellsPerPixel);
    }
  }

  record Gradient(double cos, double sin, double halfLength) implements Texture {
    @Override
    public double mix(double u, double v) {
      double t = 0.5 + 0.5 * (u * cos + v * sin) / halfLength;
      return t < 0 ? 0 : t > 1 ? 1 : t;
    }
  }

  /** Stripes broken up by noise: fur-like. */
  record NoisyStripes(Stripes stripes, Noise noise) implements Texture {
    @Override
    public double mix(double u, double v) {
      return 0.6 * stripes.mix(u, v) + 0.4 * noise.mix(u, v);
    }
  }
}
