package org.segstream.refine;

import java.util.Random;
import org.segstream.image.LabelMap;
import org.segstream.image.ProbabilityMap;
import org.segstream.image.RgbImage;

/** Small synthetic test scenes with known truth: a coloured disc on a background, noisy. */
final class Scenes {
  private Scenes() {}

  record Scene(RgbImage image, LabelMap truth, ProbabilityMap probabilities) {}

  /**
   * A disc (label 0, reddish) on a background (label 1, bluish), colour noise σ {@code noise}; the
   * probabilities come from a disc shifted by {@code shift} px and {@code grow} px too large, box
   * blurred with radius {@code blur}, plus uniform noise ±{@code probNoise}.
   */
  static Scene disc(int width, int height, long seed, double noise, int shift, int grow, int blur, double probNoise) {
    Random random = new Random(seed);
    double cx = width * 0.45;
    double cy = height * 0.5;
    double radius = Math.min(width, height) * 0.3;
    byte[] rgb = new byte[3 * width * height];
    byte[] truth = new byte[width * height];
    float[] fg = new float[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = y * width + x;
        boolean inside = Math.hypot(x - cx, y - cy) <= radius;
        truth[i] = (byte) (inside ? 0 : 1);
        int[] colour = inside ? new int[] {200, 60, 50} : new int[] {40, 90, 170};
        for (int c = 0; c < 3; c++) {
          rgb[3 * i + c] = (byte) clamp((int) Math.round(colour[c] + noise * random.nextGaussian()));
        }
        boolean insideGuess = Math.hypot(x - cx - shift, y - cy) <= radius + grow;
        fg[i] = insideGuess ? 1f : 0f;
      }
    }
    float[] blurred = boxBlur(fg, width, height, blur);
    float[] p = new float[2 * width * height];
    for (int i = 0; i < width * height; i++) {
      float v = (float) (0.1 + 0.8 * blurred[i] + probNoise * (2 * random.nextDouble() - 1));
      v = Math.min(0.98f, Math.max(0.02f, v));
      p[2 * i] = v;
      p[2 * i + 1] = 1 - v;
    }
    return new Scene(
        new RgbImage(width, height, rgb), new LabelMap(width, height, truth), new ProbabilityMap(width, height, 2, p));
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static float[] boxBlur(float[] in, int width, int height, int radius) {
    float[] out = new float[in.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        float sum = 0;
        int count = 0;
        for (int dy = -radius; dy <= radius; dy++) {
          for (int dx = -radius; dx <= radius; dx++) {
            int xx = x + dx;
            int yy = y + dy;
            if (xx >= 0 && yy >= 0 && xx < width && yy < height) {
              sum += in[yy * width + xx];
              count++;
            }
          }
        }
        out[y * width + x] = sum / count;
      }
    }
    return out;
  }
}
