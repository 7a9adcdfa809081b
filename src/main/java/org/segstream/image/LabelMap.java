package org.segstream.image;

/** One class index per pixel (0..255), row-major from the top-left: pixel i = y * width + x. */
public record LabelMap(int width, int height, byte[] labels) {
  public LabelMap {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("label map size must be positive, got " + width + "x" + height);
    }
    if (labels.length != width * height) {
      throw new IllegalArgumentException(
          "label buffer holds " + labels.length + " bytes, a " + width + "x" + height + " map needs " + width * height);
    }
  }

  public static LabelMap blank(int width, int height) {
    return new LabelMap(width, height, new byte[width * height]);
  }

  public int get(int x, int y) {
    return labels[y * width + x] & 0xff;
  }
}
