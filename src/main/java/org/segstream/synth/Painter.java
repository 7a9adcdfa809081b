package org.segstream.synth;

import java.util.SplittableRandom;
import org.segstream.image.LabelMap;

/**
 * The drawing steps shared by scenes and clips. What makes the task learnable: objects are saturated (HSV
 * saturation ≥ 0.6, value ≥ 0.5), while the background and its clutter are dull (saturation ≤ 0.15); shapes
 * and textures are drawn from the same families for both, so shape alone is no cue.
 */
final class Painter {
  static final int OBJECT = 0;
  static final int BACKGROUND = 1;
  static final int BORDER = 2;

  private Painter() {}

  /** Half the border ring's extra width in pixels: the ring is 2 + 2·h px wide (0 below 128 px, 2 at 360 px). */
  static int borderHalfWidth(int width, int height) {
    return Math.min(width, height) / 128;
  }

  /** A textured dull background with {@code clutter} distractor shapes (background class, too). */
  static byte[] background(SplittableRandom rng, int width, int height) {
    byte[] rgb = new byte[3 * width * height];
    int side = Math.min(width, height);
    Texture texture = texture(rng, side, false);
    int[] a = dullColour(rng);
    int[] b = dullColour(rng);
    for (int y = 0, i = 0; y < height; y++) {
      for (int x = 0; x < width; x++, i++) {
        double t = texture.mix(x, y);
        rgb[3 * i] = (byte) (a[0] + (int) (t * (b[0] - a[0])));
        rgb[3 * i + 1] = (byte) (a[1] + (int) (t * (b[1] - a[1])));
        rgb[3 * i + 2] = (byte) (a[2] + (int) (t * (b[2] - a[2])));
      }
    }
    // More clutter in wide frames, so a 16:9 background is as busy as a square one.
    int clutter = (int) Math.round((3 + rng.nextInt(7)) * Math.max(width, height) / (double) side);
    for (int c = 0; c < clutter; c++) {
      Sprite s = sprite(rng, side * uniform(rng, 0.05, 0.22), false);
      s.draw(rgb, null, width, height, rng.nextDouble() * width, rng.nextDouble() * height,
          rng.nextDouble() * 2 * Math.PI, 0);
    }
    return rgb;
  }

  /** A random object (saturated) or clutter (dull) sprite of roughly the given radius in pixels. */
  static Sprite sprite(SplittableRandom rng, double radius, boolean object) {
    Outline outline = outline(rng);
    double scale = radius / outline.extent();
    double sx = scale * uniform(rng, 0.8, 1.0);
    double sy = scale * uniform(rng, 0.55, 1.0);
    Texture texture = texture(rng, radius, true);
    int[] a;
    int[] b;
    if (object) {
      double hue = rng.nextDouble();
      a = hsv(hue, uniform(rng, 0.6, 1.0), uniform(rng, 0.5, 0.95));
      b = hsv(hue + uniform(rng, -0.08, 0.08), uniform(rng, 0.6, 1.0), uniform(rng, 0.5, 0.95));
    } else {
      a = dullColour(rng);
      b = dullColour(rng);
    }
    return new Sprite(outline, texture, a, b, sx, sy);
  }

  static Outline outline(SplittableRandom rng) {
    return switch (rng.nextInt(4)) {
      case 0 -> new Outline.Ellipse();
      case 1 -> new Outline.Superellipse(3 + rng.nextInt(4));
      case 2 -> {
        int harmonics = 2 + rng.nextInt(3);
        double[] amplitudes = new double[harmonics];
        double[] phases = new double[harmonics];
        double budget = uniform(rng, 0.15, 0.4);
        for (int k = 0; k < harmonics; k++) {
          amplitudes[k] = budget * uniform(rng, 0.2, 1.0) / harmonics;
          phases[k] = rng.nextDouble() * 2 * Math.PI;
        }
        yield Outline.Blob.of(amplitudes, phases);
      }
      default -> {
        int n = 4 + rng.nextInt(6);
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int k = 0; k < n; k++) {
          double angle = 2 * Math.PI * (k + uniform(rng, -0.3, 0.3)) / n;
          double r = uniform(rng, 0.6, 1.0);
          xs[k] = r * Math.cos(angle);
          ys[k] = r * Math.sin(angle);
        }
        yield new Outline.Polygon(xs, ys);
      }
    };
  }

  /** A texture whose feature size scales with {@code size} px (an object's radius or the frame's side). */
  static Texture texture(SplittableRandom rng, double size, boolean fine) {
    double angle = rng.nextDouble() * Math.PI;
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    double period = fine ? uniform(rng, 4, Math.max(5, size / 3)) : uniform(rng, 8, Math.max(9, size / 4));
    double cell = fine ? uniform(rng, 2, Math.max(3, size / 4)) : uniform(rng, 6, Math.max(7, size / 3));
    return switch (rng.nextInt(4)) {
      case 0 -> new Texture.Stripes(2 * Math.PI / period, cos, sin);
      case 1 -> new Texture.Noise(new ValueNoise(rng), 1 / cell);
      case 2 -> new Texture.Gradient(cos, sin, size);
      default -> new Texture.NoisyStripes(new Texture.Stripes(2 * Math.PI / period, cos, sin),
          new Texture.Noise(new ValueNoise(rng), 1 / cell));
    };
  }

  static int[] dullColour(SplittableRandom rng) {
    return hsv(rng.nextDouble(), uniform(rng, 0, 0.15), uniform(rng, 0.15, 0.9));
  }

  /** HSV (hue wraps, saturation and value in [0, 1]) → RGB 0..255. */
  static int[] hsv(double hue, double saturation, double value) {
    double h = (hue - Math.floor(hue)) * 6;
    int sector = (int) h;
    double f = h - sector;
    double p = value * (1 - saturation);
    double q = value * (1 - saturation * f);
    double t = value * (1 - saturation * (1 - f));
    double[] rgb = switch (sector) {
      case 0 -> new double[] {value, t, p};
      case 1 -> new double[] {q, value, p};
      case 2 -> new double[] {p, value, t};
      case 3 -> new double[] {p, q, value};
      case 4 -> new double[] {t, p, value};
      default -> new double[] {value, p, q};
    };
    return new int[] {(int) Math.round(rgb[0] * 255), (int) Math.round(rgb[1] * 255), (int) Math.round(rgb[2] * 255)};
  }

  static double uniform(SplittableRandom rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }

  /** A 3×3 box blur, in place (separable; edges clamp). {@code scratch} holds at least rgb.length ints. */
  static void boxBlur3(byte[] rgb, int width, int height, int[] scratch) {
    int stride = 3 * width;
    for (int y = 0; y < height; y++) {
      int row = y * stride;
      for (int x = 0; x < width; x++) {
        int left = row + 3 * Math.max(0, x - 1);
        int mid = row + 3 * x;
        int right = row + 3 * Math.min(width - 1, x + 1);
        for (int c = 0; c < 3; c++) {
          scratch[mid + c] = (rgb[left + c] & 0xff) + (rgb[mid + c] & 0xff) + (rgb[right + c] & 0xff);
        }
      }
    }
    for (int y = 0; y < height; y++) {
      int up = Math.max(0, y - 1) * stride;
      int row = y * stride;
      int down = Math.min(height - 1, y + 1) * stride;
      for (int k = 0; k < stride; k++) {
        rgb[row + k] = (byte) ((scratch[up + k] + scratch[row + k] + scratch[down + k] + 4) / 9);
      }
    }
  }

  /** Adds uniform noise in [-amplitude, amplitude] per channel, clamped; a cheap xorshift keeps it fast. */
  static void addNoise(byte[] rgb, long seed, int amplitude) {
    if (amplitude <= 0) {
      return;
    }
    long state = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
    if (state == 0) {
      state = 1;
    }
    int span = 2 * amplitude + 1;
    for (int k = 0; k < rgb.length; k++) {
      state ^= state << 13;
      state ^= state >>> 7;
      state ^= state << 17;
      int noise = (int) ((state >>> 33) % span) - amplitude;
      int v = (rgb[k] & 0xff) + noise;
      rgb[k] = (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
    }
  }

  /**
   * Ground truth from the owner map (0 = background, else an object id): object pixels → OBJECT, the rest →
   * BACKGROUND, and every pixel within Chebyshev distance {@code halfWidth} of an edge pixel → BORDER. An edge
   * pixel has a 4-neighbour with another owner, on either side of the edge (so objects that overlap keep the
   * ring along their visible edge).
   */
  static LabelMap truth(byte[] owner, int width, int height, int halfWidth) {
    byte[] labels = new byte[width * height];
    int[] distance = new int[width * height];
    int far = width + height;
    for (int y = 0, i = 0; y < height; y++) {
      for (int x = 0; x < width; x++, i++) {
        byte o = owner[i];
        labels[i] = (byte) (o == 0 ? BACKGROUND : OBJECT);
        boolean edge = (x > 0 && owner[i - 1] != o) || (x + 1 < width && owner[i + 1] != o)
            || (y > 0 && owner[i - width] != o) || (y + 1 < height && owner[i + width] != o);
        distance[i] = edge ? 0 : far;
      }
    }
    if (halfWidth > 0) {
      chessboardDistance(distance, width, height);
    }
    for (int i = 0; i < labels.length; i++) {
      if (distance[i] <= halfWidth) {
        labels[i] = BORDER;
      }
    }
    return new LabelMap(width, height, labels);
  }

  /** Two-pass chessboard distance transform in place (0 at the seeds). */
  private static void chessboardDistance(int[] d, int width, int height) {
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = y * width + x;
        int best = d[i];
        if (x > 0) {
          best = Math.min(best, d[i - 1] + 1);
        }
        if (y > 0) {
          best = Math.min(best, d[i - width] + 1);
          if (x > 0) {
            best = Math.min(best, d[i - width - 1] + 1);
          }
          if (x + 1 < width) {
            best = Math.min(best, d[i - width + 1] + 1);
          }
        }
        d[i] = best;
      }
    }
    for (int y = height - 1; y >= 0; y--) {
      for (int x = width - 1; x >= 0; x--) {
        int i = y * width + x;
        int best = d[i];
        if (x + 1 < width) {
          best = Math.min(best, d[i + 1] + 1);
        }
        if (y + 1 < height) {
          best = Math.min(best, d[i + width] + 1);
          if (x + 1 < width) {
            best = Math.min(best, d[i + width + 1] + 1);
          }
          if (x > 0) {
            best = Math.min(best, d[i + width - 1] + 1);
          }
        }
        d[i] = best;
      }
    }
  }
}
