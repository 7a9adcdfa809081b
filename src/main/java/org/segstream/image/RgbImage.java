package org.segstream.image;

/**
 * An 8-bit RGB image, pixels interleaved row-major from the top-left: pixel i = y * width + x at
 * {@code rgb[3 * i + c]}, c = 0 red, 1 green, 2 blue.
 */
public record RgbImage(int width, int height, byte[] rgb) {
  public RgbImage {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
    }
    if (rgb.length != 3 * width * height) {
      throw new IllegalArgumentException(
          "RGB buffer holds " + rgb.length + " bytes, a " + width + "x" + height + " image needs " + 3 * width * height);
    }
  }

  public static RgbImage blank(int width, int height) {
    return new RgbImage(width, height, new byte[3 * width * height]);
  }

  /** Channel c (0 R, 1 G, 2 B) of pixel (x, y), 0..255. */
  public int get(int x, int y, int c) {
    return rgb[3 * (y * width + x) + c] & 0xff;
  }
}
