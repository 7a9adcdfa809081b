package org.segstream.train;

import java.util.SplittableRandom;
import org.segstream.dataset.Example;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.image.Resampling;
import org.segstream.image.RgbImage;

/** Random horizontal flip, scale/crop and colour jitter of one stored training pair, to the input size. */
final class Augmentation {
  /** The crop's side is this share of the stored side, at least. */
  static final double MIN_CROP = 0.6;

  private Augmentation() {}

  static Example apply(Example e, int width, int height, SplittableRandom random) {
    RgbImage image = e.image();
    LabelMap truth = e.truth();
    int sw = image.width();
    int sh = image.height();
    double scale = MIN_CROP + (1 - MIN_CROP) * random.nextDouble();
    double aspect = 0.85 + 0.3 * random.nextDouble();
    int cw = clamp((int) Math.round(sw * scale * Math.sqrt(aspect)), 8, sw);
    int ch = clamp((int) Math.round(sh * scale / Math.sqrt(aspect)), 8, sh);
    int x0 = random.nextInt(sw - cw + 1);
    int y0 = random.nextInt(sh - ch + 1);
    boolean flip = random.nextBoolean();
    byte[] rgb = image.rgb();
    byte[] labels = truth.labels();
    byte[] cropRgb = new byte[3 * cw * ch];
    byte[] cropLabels = new byte[cw * ch];
    for (int y = 0; y < ch; y++) {
      for (int x = 0; x < cw; x++) {
        int sx = flip ? x0 + cw - 1 - x : x0 + x;
        int s = (y0 + y) * sw + sx;
        int d = y * cw + x;
        cropRgb[3 * d] = rgb[3 * s];
        cropRgb[3 * d + 1] = rgb[3 * s + 1];
        cropRgb[3 * d + 2] = rgb[3 * s + 2];
        cropLabels[d] = labels[s];
      }
    }
    RgbImage out = ImageCodec.resizeBilinear(new RgbImage(cw, ch, cropRgb), width, height);
    LabelMap outLabels = Resampling.nearest(new LabelMap(cw, ch, cropLabels), width, height);
    jitter(out.rgb(), random);
    return new Example(e.name(), out, outLabels);
  }

  /** Brightness ±20 levels, contrast and saturation ×0.8..1.2, in place. */
  private static void jitter(byte[] rgb, SplittableRandom random) {
    float brightness = (float) (random.nextDouble() * 40 - 20);
    float contrast = (float) (0.8 + 0.4 * random.nextDouble());
    float saturation = (float) (0.8 + 0.4 * random.nextDouble());
    for (int i = 0; i < rgb.length; i += 3) {
      float r = rgb[i] & 0xff;
      float g = rgb[i + 1] & 0xff;
      float b = rgb[i + 2] & 0xff;
      float grey = 0.299f * r + 0.587f * g + 0.114f * b;
      r = grey + (r - grey) * saturation;
      g = grey + (g - grey) * saturation;
      b = grey + (b - grey) * saturation;
      rgb[i] = toByte((r - 128) * contrast + 128 + brightness);
      rgb[i + 1] = toByte((g - 128) * contrast + 128 + brightness);
      rgb[i + 2] = toByte((b - 128) * contrast + 128 + brightness);
    }
  }

  private static byte toByte(float v) {
    return (byte) Math.max(0, Math.min(255, Math.round(v)));
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(Math.min(lo, hi), Math.min(hi, v));
  }
}
