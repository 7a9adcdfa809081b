package org.segstream.testing;

import java.util.Arrays;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;

/** Small, real images with a lying header or a missing end, for the tests of hostile input. */
public final class BadImages {
  private BadImages() {}

  /** A real {@code width × height} JPEG of a gradient. */
  public static byte[] jpeg(int width, int height) {
    RgbImage image = RgbImage.blank(width, height);
    byte[] rgb = image.rgb();
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) (i * 7);
    }
    return ImageCodec.encodeJpeg(image, 90);
  }

  /** A real {@code width × height} 8-bit grey PNG. */
  public static byte[] png(int width, int height) {
    byte[] labels = new byte[width * height];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = (byte) (i % 3);
    }
    return ImageCodec.encodePngGray(new LabelMap(width, height, labels));
  }

  /** A small real JPEG whose frame header (SOF) declares {@code width × height}: a few KB that claim gigapixels. */
  public static byte[] jpegDeclaring(int width, int height) {
    byte[] jpeg = jpeg(64, 48);
    int pos = 2;
    while (pos + 4 < jpeg.length) {
      int marker = jpeg[pos + 1] & 0xff;
      int length = (jpeg[pos + 2] & 0xff) << 8 | (jpeg[pos + 3] & 0xff);
      if (marker == 0xC0 || marker == 0xC1 || marker == 0xC2) {
        jpeg[pos + 5] = (byte) (height >>> 8);
        jpeg[pos + 6] = (byte) height;
        jpeg[pos + 7] = (byte) (width >>> 8);
        jpeg[pos + 8] = (byte) width;
        return jpeg;
      }
      pos += 2 + length;
    }
    throw new IllegalStateException("no SOF marker in OpenCV's JPEG");
  }

  /** A small real PNG whose IHDR declares {@code width × height} (its CRC no longer matches). */
  public static byte[] pngDeclaring(int width, int height) {
    byte[] png = png(64, 48);
    for (int i = 0; i < 4; i++) {
      png[16 + i] = (byte) (width >>> (24 - 8 * i));
      png[20 + i] = (byte) (height >>> (24 - 8 * i));
    }
    return png;
  }

  /** The first {@code fraction} of the bytes. */
  public static byte[] truncated(byte[] data, double fraction) {
    return Arrays.copyOf(data, (int) (data.length * fraction));
  }
}
