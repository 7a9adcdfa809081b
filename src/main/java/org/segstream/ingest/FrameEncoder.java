package org.segstream.ingest;

import org.segstream.image.ImageCodec;
import org.segstream.image.RgbImage;

/**
 * JPEG-encodes a frame within a byte budget: at the asked quality if it fits, else at lower qualities
 * down to {@value #MIN_QUALITY}, else smaller at that quality. Never drops a frame: when nothing fits,
 * it says so and the caller rejects the frame loudly.
 */
final class FrameEncoder {
  static final int MIN_QUALITY = 30;
  private static final int QUALITY_STEP = 15;
  private static final int MIN_SIDE = 16;

  /** A frame as it will be published: the image (maybe shrunk), its JPEG and the quality used. */
  record Encoded(RgbImage image, byte[] jpeg, int quality, boolean reencoded) {}

  private FrameEncoder() {}

  /** The encoded frame, or null when even a {@value #MIN_SIDE}-pixel version exceeds {@code maxBytes}. */
  static Encoded encodeWithin(RgbImage image, int quality, int maxBytes) {
    byte[] jpeg = ImageCodec.encodeJpeg(image, quality);
    if (jpeg.length <= maxBytes) {
      return new Encoded(image, jpeg, quality, false);
    }
    for (int q = Math.min(quality - QUALITY_STEP, 75); q >= MIN_QUALITY; q -= QUALITY_STEP) {
      jpeg = ImageCodec.encodeJpeg(image, q);
      if (jpeg.length <= maxBytes) {
        return new Encoded(image, jpeg, q, true);
      }
    }
    RgbImage current = image;
    while (true) {
      // JPEG size grows about with the pixel count: aim a little under the budget
      double scale = Math.max(0.1, Math.min(0.9, 0.9 * Math.sqrt((double) maxBytes / jpeg.length)));
      int w = (int) Math.round(current.width() * scale);
      int h = (int) Math.round(current.height() * scale);
      if (Math.min(w, h) < MIN_SIDE) {
        return null;
      }
      current = ImageCodec.downscale(image, w, h);
      jpeg = ImageCodec.encodeJpeg(current, MIN_QUALITY);
      if (jpeg.length <= maxBytes) {
        return new Encoded(current, jpeg, MIN_QUALITY, true);
      }
    }
  }

  /** The size whose long side is at most {@code maxSize} (0 = no limit), keeping the aspect ratio. */
  static int[] fitWithin(int width, int height, int maxSize) {
    int longSide = Math.max(width, height);
    if (maxSize <= 0 || longSide <= maxSize) {
      return new int[] {width, height};
    }
    double scale = (double) maxSize / longSide;
    return new int[] {Math.max(1, (int) Math.round(width * scale)), Math.max(1, (int) Math.round(height * scale))};
  }
}
