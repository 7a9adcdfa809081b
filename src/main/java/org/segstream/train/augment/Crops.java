package org.segstream.train.augment;

import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;

/** Rectangles cut out of a stored image: the geometry every augmentation shares. */
public final class Crops {
  private Crops() {}

  /** A crop rectangle of a source image. */
  public record Box(int x, int y, int width, int height) {}

  /**
   * The largest {@code width:height} rectangle inside a {@code sourceWidth × sourceHeight} image, as
   * {width, height}: a crop that is resized to {@code width × height} then keeps the aspect ratio. A
   * rectangle within one pixel of the whole image is the whole image (it was resized to this aspect,
   * up to rounding).
   */
  public static int[] largest(int sourceWidth, int sourceHeight, int width, int height) {
    if ((long) sourceWidth * height >= (long) sourceHeight * width) {
      int w = Math.max(1, (int) Math.round((double) sourceHeight * width / height));
      return new int[] {sourceWidth - w <= 1 ? sourceWidth : w, sourceHeight};
    }
    int h = Math.max(1, (int) Math.round((double) sourceWidth * height / width));
    return new int[] {sourceWidth, sourceHeight - h <= 1 ? sourceHeight : h};
  }

  /** The box of an image, mirrored left-right when {@code flip}. */
  public static RgbImage cut(RgbImage image, Box box, boolean flip) {
    byte[] rgb = image.rgb();
    byte[] out = new byte[3 * box.width() * box.height()];
    for (int y = 0; y < box.height(); y++) {
      for (int x = 0; x < box.width(); x++) {
        int s = (box.y() + y) * image.width() + (flip ? box.x() + box.width() - 1 - x : box.x() + x);
        int d = y * box.width() + x;
        out[3 * d] = rgb[3 * s];
        out[3 * d + 1] = rgb[3 * s + 1];
        out[3 * d + 2] = rgb[3 * s + 2];
      }
    }
    return new RgbImage(box.width(), box.height(), out);
  }

  /** The box of a label map, mirrored left-right when {@code flip}. */
  public static LabelMap cut(LabelMap labels, Box box, boolean flip) {
    byte[] in = labels.labels();
    byte[] out = new byte[box.width() * box.height()];
    for (int y = 0; y < box.height(); y++) {
      for (int x = 0; x < box.width(); x++) {
        int s = (box.y() + y) * labels.width() + (flip ? box.x() + box.width() - 1 - x : box.x() + x);
        out[y * box.width() + x] = in[s];
      }
    }
    return new LabelMap(box.width(), box.height(), out);
  }
}
