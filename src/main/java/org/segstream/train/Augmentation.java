package org.segstream.train;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.segstream.dataset.Example;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.image.Resampling;
import org.segstream.image.RgbImage;
import org.segstream.train.augment.Augmentations;
import org.segstream.train.augment.BackgroundPool;
import org.segstream.train.augment.Camera;
import org.segstream.train.augment.Crops;

/**
 * One stored training pair made into a training example of any requested size. {@code basic}: a
 * random crop of the requested aspect (0.6–1.0 of the largest, aspect jittered ±15 %), flipped at
 * random, resized, colour-jittered. On top, as {@link Augmentations} says: zoom-out (half the examples
 * shrunk to {@value #MIN_ZOOM_OUT}–1.0 of the frame's side at a random place, the rest of the frame a
 * background), paste (half the examples keep only their pet and border pixels, on a background), and
 * camera artefacts ({@link Camera}). Backgrounds come from a {@link BackgroundPool} and are labelled
 * background. The draws of {@code basic} come first, so {@code basic} alone gives the examples it
 * always gave.
 */
final class Augmentation {
  /** The crop's side is this share of the largest crop of the requested aspect, at least. */
  static final double MIN_CROP = 0.6;
  /** Zoom-out shrinks the example to this share of the frame's side, at least. */
  static final double MIN_ZOOM_OUT = 0.35;

  private Augmentation() {}

  /** {@code basic} only. */
  static Example apply(Example e, int width, int height, SplittableRandom random) {
    return apply(e, width, height, random, Augmentations.BASIC, null, 0);
  }

  /**
   * @param pool where zoom-out and paste take backgrounds from; may be null when neither is on
   * @param backgroundClass the label of background pixels
   */
  static Example apply(Example e, int width, int height, SplittableRandom random, Augmentations set,
      BackgroundPool pool, int backgroundClass) {
    RgbImage image = e.image();
    int sw = image.width();
    int sh = image.height();
    int[] full = Crops.largest(sw, sh, width, height);
    double scale = MIN_CROP + (1 - MIN_CROP) * random.nextDouble();
    double aspect = 0.85 + 0.3 * random.nextDouble();
    int cw = clamp((int) Math.round(full[0] * scale * Math.sqrt(aspect)), 8, sw);
    int ch = clamp((int) Math.round(full[1] * scale / Math.sqrt(aspect)), 8, sh);
    Crops.Box box = new Crops.Box(random.nextInt(sw - cw + 1), random.nextInt(sh - ch + 1), cw, ch);
    boolean flip = random.nextBoolean();
    RgbImage crop = Crops.cut(image, box, flip);
    LabelMap cropLabels = Crops.cut(e.truth(), box, flip);
    Jitter jitter = Jitter.draw(random);
    if (!set.zoomOut() && !set.paste() && !set.camera()) {
      return finish(e.name(), crop, cropLabels, width, height, jitter);
    }
    SplittableRandom extra = random.split();
    double side = set.zoomOut() && extra.nextBoolean() ? MIN_ZOOM_OUT + (1 - MIN_ZOOM_OUT) * extra.nextDouble() : 1;
    boolean petOnly = set.paste() && extra.nextBoolean();
    Example framed;
    if (side == 1 && !petOnly) {
      framed = finish(e.name(), crop, cropLabels, width, height, jitter);
    } else {
      int lw = Math.max(1, (int) Math.round(width * side));
      int lh = Math.max(1, (int) Math.round(height * side));
      RgbImage layer = ImageCodec.resizeBilinear(crop, lw, lh);
      LabelMap layerLabels = Resampling.nearest(cropLabels, lw, lh);
      RgbImage canvas = pool.draw(width, height, extra);
      framed = composite(e.name(), layer, layerLabels, canvas, extra.nextInt(width - lw + 1),
          extra.nextInt(height - lh + 1), petOnly, backgroundClass);
      jitter.apply(framed.image().rgb());
    }
    if (set.camera()) {
      framed = new Example(framed.name(), Camera.apply(framed.image(), extra), framed.truth());
    }
    return framed;
  }

  private static Example finish(String name, RgbImage crop, LabelMap cropLabels, int width, int height,
      Jitter jitter) {
    RgbImage out = ImageCodec.resizeBilinear(crop, width, height);
    LabelMap outLabels = Resampling.nearest(cropLabels, width, height);
    jitter.apply(out.rgb());
    return new Example(name, out, outLabels);
  }

  /**
   * The layer placed at (x, y) on the canvas: where the layer is, its pixels and labels (only its
   * non-background pixels when {@code petOnly}); everywhere else the canvas, labelled background.
   */
  static Example composite(String name, RgbImage layer, LabelMap layerLabels, RgbImage canvas, int x0, int y0,
      boolean petOnly, int backgroundClass) {
    int w = canvas.width();
    byte[] rgb = canvas.rgb().clone();
    byte[] labels = new byte[w * canvas.height()];
    Arrays.fill(labels, (byte) backgroundClass);
    byte[] lr = layer.rgb();
    byte[] ll = layerLabels.labels();
    for (int y = 0; y < layer.height(); y++) {
      for (int x = 0; x < layer.width(); x++) {
        int s = y * layer.width() + x;
        if (petOnly && (ll[s] & 0xff) == backgroundClass) {
          continue;
        }
        int d = (y0 + y) * w + x0 + x;
        rgb[3 * d] = lr[3 * s];
        rgb[3 * d + 1] = lr[3 * s + 1];
        rgb[3 * d + 2] = lr[3 * s + 2];
        labels[d] = ll[s];
      }
    }
    return new Example(name, new RgbImage(w, canvas.height(), rgb), new LabelMap(w, canvas.height(), labels));
  }

  /** Brightness ±20 levels, contrast and saturation ×0.8..1.2. */
  private record Jitter(float brightness, float contrast, float saturation) {
    static Jitter draw(SplittableRandom random) {
      float brightness = (float) (random.nextDouble() * 40 - 20);
      float contrast = (float) (0.8 + 0.4 * random.nextDouble());
      float saturation = (float) (0.8 + 0.4 * random.nextDouble());
      return new Jitter(brightness, contrast, saturation);
    }

    /** In place. */
    void apply(byte[] rgb) {
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
  }

  private static byte toByte(float v) {
    return (byte) Math.max(0, Math.min(255, Math.round(v)));
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(Math.min(lo, hi), Math.min(hi, v));
  }
}
