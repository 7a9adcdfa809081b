package org.segstream.image;

/** Pure-Java resampling of probability and label maps (the RGB frames are resized with OpenCV). */
public final class Resampling {
  private Resampling() {}

  /**
   * Bilinear resize of a probability map (half-pixel centres, as OpenCV's INTER_LINEAR and
   * TensorFlow's half_pixel_centers), so each pixel stays a probability distribution.
   */
  public static ProbabilityMap bilinear(ProbabilityMap src, int width, int height) {
    if (src.width() == width && src.height() == height) {
      return src;
    }
    int k = src.classes();
    float[] out = new float[width * height * k];
    float[] in = src.values();
    int sw = src.width();
    int sh = src.height();
    float scaleX = (float) sw / width;
    float scaleY = (float) sh / height;
    int[] x0s = new int[width];
    int[] x1s = new int[width];
    float[] fxs = new float[width];
    for (int x = 0; x < width; x++) {
      float sx = Math.max(0f, (x + 0.5f) * scaleX - 0.5f);
      int x0 = Math.min((int) sx, sw - 1);
      x0s[x] = x0;
      x1s[x] = Math.min(x0 + 1, sw - 1);
      fxs[x] = sx - x0;
    }
    for (int y = 0; y < height; y++) {
      float sy = Math.max(0f, (y + 0.5f) * scaleY - 0.5f);
      int y0 = Math.min((int) sy, sh - 1);
      int y1 = Math.min(y0 + 1, sh - 1);
      float fy = sy - y0;
      int row0 = y0 * sw;
      int row1 = y1 * sw;
      int o = y * width * k;
      for (int x = 0; x < width; x++) {
        float fx = fxs[x];
        int a = (row0 + x0s[x]) * k;
        int b = (row0 + x1s[x]) * k;
        int c = (row1 + x0s[x]) * k;
        int d = (row1 + x1s[x]) * k;
        for (int j = 0; j < k; j++) {
          float top = in[a + j] + (in[b + j] - in[a + j]) * fx;
          float bottom = in[c + j] + (in[d + j] - in[c + j]) * fx;
          out[o++] = top + (bottom - top) * fy;
        }
      }
    }
    return new ProbabilityMap(width, height, k, out);
  }

  /**
   * The labels of {@link #bilinear} followed by {@link ProbabilityMap#argmax}, without building the
   * upsampled map: same result (up to float rounding where two classes tie), a fraction of the work.
   */
  public static LabelMap bilinearArgmax(ProbabilityMap src, int width, int height) {
    int k = src.classes();
    float[] in = src.values();
    int sw = src.width();
    int sh = src.height();
    float scaleX = (float) sw / width;
    float scaleY = (float) sh / height;
    int[] x0s = new int[width];
    int[] x1s = new int[width];
    float[] fxs = new float[width];
    for (int x = 0; x < width; x++) {
      float sx = Math.max(0f, (x + 0.5f) * scaleX - 0.5f);
      int x0 = Math.min((int) sx, sw - 1);
      x0s[x] = x0;
      x1s[x] = Math.min(x0 + 1, sw - 1);
      fxs[x] = sx - x0;
    }
    // Where the four source pixels around a point agree on the winning class, every blend of them
    // does too (a convex combination keeps the order): only points between disagreeing pixels, along
    // the region edges, need the interpolation.
    byte[] sourceArgmax = new byte[sw * sh];
    for (int i = 0; i < sourceArgmax.length; i++) {
      int best = 0;
      for (int j = 1; j < k; j++) {
        if (in[i * k + j] > in[i * k + best]) {
          best = j;
        }
      }
      sourceArgmax[i] = (byte) best;
    }
    byte[] out = new byte[width * height];
    // per source column x0 of the current pair of source rows: the class all four corners agree on, or -1
    int[] agreed = new int[sw];
    int agreedRow = -1;
    for (int y = 0; y < height; y++) {
      float sy = Math.max(0f, (y + 0.5f) * scaleY - 0.5f);
      int y0 = Math.min((int) sy, sh - 1);
      int y1 = Math.min(y0 + 1, sh - 1);
      float fy = sy - y0;
      int row0 = y0 * sw;
      int row1 = y1 * sw;
      if (agreedRow != y0) {
        for (int x0 = 0; x0 < sw; x0++) {
          int x1 = Math.min(x0 + 1, sw - 1);
          byte corner = sourceArgmax[row0 + x0];
          boolean same = corner == sourceArgmax[row0 + x1]
              && corner == sourceArgmax[row1 + x0]
              && corner == sourceArgmax[row1 + x1];
          agreed[x0] = same ? corner & 0xff : -1;
        }
        agreedRow = y0;
      }
      int o = y * width;
      for (int x = 0; x < width; x++) {
        int corner = agreed[x0s[x]];
        if (corner >= 0) {
          out[o + x] = (byte) corner;
          continue;
        }
        float fx = fxs[x];
        int a = (row0 + x0s[x]) * k;
        int b = (row0 + x1s[x]) * k;
        int c = (row1 + x0s[x]) * k;
        int d = (row1 + x1s[x]) * k;
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
          float top = in[a + j] + (in[b + j] - in[a + j]) * fx;
          float bottom = in[c + j] + (in[d + j] - in[c + j]) * fx;
          float v = top + (bottom - top) * fy;
          if (v > bestValue) {
            bestValue = v;
            best = j;
          }
        }
        out[o + x] = (byte) best;
      }
    }
    return new LabelMap(width, height, out);
  }

  /** Nearest-neighbour resize of a label map (labels must not be blended). */
  public static LabelMap nearest(LabelMap src, int width, int height) {
    if (src.width() == width && src.height() == height) {
      return src;
    }
    byte[] out = new byte[width * height];
    byte[] in = src.labels();
    int sw = src.width();
    int sh = src.height();
    int[] xs = new int[width];
    for (int x = 0; x < width; x++) {
      xs[x] = Math.min(sw - 1, (int) ((x + 0.5) * sw / width));
    }
    for (int y = 0; y < height; y++) {
      int sy = Math.min(sh - 1, (int) ((y + 0.5) * sh / height));
      int row = sy * sw;
      int o = y * width;
      for (int x = 0; x < width; x++) {
        out[o + x] = in[row + xs[x]];
      }
    }
    return new LabelMap(width, height, out);
  }

  /** The size with the long side capped at {@code maxSide}, keeping the aspect ratio; never upscales. */
  public static int[] capLongSide(int width, int height, int maxSide) {
    int longSide = Math.max(width, height);
    if (maxSide <= 0 || longSide <= maxSide) {
      return new int[] {width, height};
    }
    double scale = (double) maxSide / longSide;
    return new int[] {Math.max(1, (int) Math.round(width * scale)), Math.max(1, (int) Math.round(height * scale))};
  }

  /** Share of pixels per class. */
  public static float[] classFractions(LabelMap labels, int classes) {
    long[] counts = new long[classes];
    for (byte b : labels.labels()) {
      int c = b & 0xff;
      if (c < classes) {
        counts[c]++;
      }
    }
    float[] fractions = new float[classes];
    double n = labels.labels().length;
    for (int c = 0; c < classes; c++) {
      fractions[c] = (float) (counts[c] / n);
    }
    return fractions;
  }
}
