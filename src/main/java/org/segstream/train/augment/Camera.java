package org.segstream.train.augment;

import java.util.SplittableRandom;
import org.segstream.image.ImageCodec;
import org.segstream.image.RgbImage;

/**
 * What a camera does to a frame that a clean photo lacks, each on half the examples: motion blur
 * (a straight kernel of 3–{@value #MAX_BLUR} pixels at a random angle), JPEG compression at quality
 * {@value #MIN_QUALITY}–{@value #MAX_QUALITY} (OpenCV's encoder and decoder, as the pipeline's frames
 * pass through) and Gaussian sensor noise of σ up to {@value #MAX_NOISE} levels. The labels do not change.
 */
public final class Camera {
  static final int MAX_BLUR = 9;
  static final int MIN_QUALITY = 20;
  static final int MAX_QUALITY = 90;
  static final double MAX_NOISE = 8;

  private Camera() {}

  public static RgbImage apply(RgbImage image, SplittableRandom random) {
    RgbImage out = image;
    if (random.nextBoolean()) {
      out = motionBlur(out, 3 + random.nextInt(MAX_BLUR - 2), random.nextDouble() * Math.PI);
    }
    if (random.nextBoolean()) {
      out = jpeg(out, MIN_QUALITY + random.nextInt(MAX_QUALITY - MIN_QUALITY + 1));
    }
    if (random.nextBoolean()) {
      out = noise(out, MAX_NOISE * random.nextDouble(), random);
    }
    return out;
  }

  /** The mean of {@code length} samples along a line through each pixel at {@code angle}, edges clamped. */
  static RgbImage motionBlur(RgbImage image, int length, double angle) {
    int w = image.width();
    int h = image.height();
    int[] dx = new int[length];
    int[] dy = new int[length];
    for (int t = 0; t < length; t++) {
      double offset = t - (length - 1) / 2.0;
      dx[t] = (int) Math.round(offset * Math.cos(angle));
      dy[t] = (int) Math.round(offset * Math.sin(angle));
    }
    byte[] in = image.rgb();
    byte[] out = new byte[in.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = 0;
        int g = 0;
        int b = 0;
        for (int t = 0; t < length; t++) {
          int sx = Math.max(0, Math.min(w - 1, x + dx[t]));
          int sy = Math.max(0, Math.min(h - 1, y + dy[t]));
          int s = 3 * (sy * w + sx);
          r += in[s] & 0xff;
          g += in[s + 1] & 0xff;
          b += in[s + 2] & 0xff;
        }
        int d = 3 * (y * w + x);
        out[d] = (byte) ((r + length / 2) / length);
        out[d + 1] = (byte) ((g + length / 2) / length);
        out[d + 2] = (byte) ((b + length / 2) / length);
      }
    }
    return new RgbImage(w, h, out);
  }

  /** Through OpenCV's JPEG encoder and back. */
  static RgbImage jpeg(RgbImage image, int quality) {
    return ImageCodec.decode(ImageCodec.encodeJpeg(image, quality));
  }

  static RgbImage noise(RgbImage image, double sigma, SplittableRandom random) {
    byte[] in = image.rgb();
    byte[] out = new byte[in.length];
    for (int i = 0; i < in.length; i += 2) {
      // Box–Muller gives two independent standard normal draws per pair of uniforms
      double radius = sigma * Math.sqrt(-2 * Math.log(1 - random.nextDouble()));
      double angle = 2 * Math.PI * random.nextDouble();
      out[i] = shifted(in[i], radius * Math.cos(angle));
      if (i + 1 < in.length) {
        out[i + 1] = shifted(in[i + 1], radius * Math.sin(angle));
      }
    }
    return new RgbImage(image.width(), image.height(), out);
  }

  private static byte shifted(byte value, double by) {
    return (byte) Math.max(0, Math.min(255, Math.round((value & 0xff) + by)));
  }
}
