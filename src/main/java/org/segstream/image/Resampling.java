package org.segstream.image;

/** Pure-Java resampling of probability and label maps (the RGB frames are resized with OpenCV). */
public final class Resampling {
  private Resampling() {}

  /**
   * Where each output position samples one source axis, with half-pixel centres (as OpenCV's
   * INTER_LINEAR and TensorFlow's half_pixel_centers): the lower and upper source index and the
   * weight of the upper one.
   */
  private record AxisTaps(int[] lower, int[] upper, float[] weight) {
    static AxisTaps of(int sourceSize, int size) {
      float scale = (float) sourceSize / size;
      int[] lower = new int[size];
      int[] upper = new int[size];
      float[] weight = new float[size];
      for (int i = 0; i < size; i++) {
        float s = Math.max(0f, (i + 0.5f) * scale - 0.5f);
        int low = Math.min((int) s, sourceSize - 1);
        lower[i] = low;
        upper[i] = Math.min(low + 1, sourceSize - 1);
        weight[i] = s - low;
      }
      return new AxisTaps(lower, upper, weight);
    }
  }

  /**
   * Bilinear resize of a probability map (half-pixel centres), so each pixel stays a probability
   * distribution.
   */
  public static ProbabilityMap bilinear(ProbabilityMap src, int width, int height) {
    if (src.width() == width && src.height() == height) {
      return src;
    }
    int k = src.classes();
    float[] out = new float[width * height * k];
    float[] in = src.values();
    int sw = src.width();
    AxisTaps xs = AxisTaps.of(sw, width);
    AxisTaps ys = AxisTaps.of(src.height(), height);
    for (int y = 0; y < height; y++) {
      float fy = ys.weight()[y];
      int row0 = ys.lower()[y] * sw;
      int row1 = ys.upper()[y] * sw;
      int o = y * width * k;
      for (int x = 0; x < width; x++) {
        float fx = xs.weight()[x];
        int a = (row0 + xs.lower()[x]) * k;
        int b = (row0 + xs.upper()[x]) * k;
        int c = (row1 + xs.lower()[x]) * k;
        int d = (row1 + xs.upper()[x]) * k;
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
    AxisTaps xs = AxisTaps.of(sw, width);
    AxisTaps ys = AxisTaps.of(src.height(), height);
    // Where the four source pixels around a point agree on the winning class, every blend of them
    // does too (a convex combination keeps the order): only points between disagreeing pixels, along
    // the region edges, need the interpolation.
    byte[] sourceArgmax = src.argmax().labels();
    byte[] out = new byte[width * height];
    // per source column of the current pair of source rows: the class all four corners agree on, or -1
    int[] agreed = new int[sw];
    int agreedRow = -1;
    for (int y = 0; y < height; y++) {
      float fy = ys.weight()[y];
      int row0 = ys.lower()[y] * sw;
      int row1 = ys.upper()[y] * sw;
      if (agreedRow != row0) {
        for (int x0 = 0; x0 < sw; x0++) {
          int x1 = Math.min(x0 + 1, sw - 1);
          byte corner = sourceArgmax[row0 + x0];
          boolean same = corner == sourceArgmax[row0 + x1]
              && corner == sourceArgmax[row1 + x0]
              && corner == sourceArgmax[row1 + x1];
          agreed[x0] = same ? corner & 0xff : -1;
        }
        agreedRow = row0;
      }
      int o = y * width;
      for (int x = 0; x < width; x++) {
        int corner = agreed[xs.lower()[x]];
        if (corner >= 0) {
          out[o + x] = (byte) corner;
          continue;
        }
        float fx = xs.weight()[x];
        int a = (row0 + xs.lower()[x]) * k;
        int b = (row0 + xs.upper()[x]) * k;
        int c = (row1 + xs.lower()[x]) * k;
        int d = (row1 + xs.upper()[x]) * k;
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
