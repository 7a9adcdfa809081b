package org.segstream.image;

/**
 * Per-pixel class probabilities, HWC: class k of pixel i = y * width + x at {@code values[i * classes + k]}.
 * Each pixel's values sum to 1 (softmax output).
 */
public record ProbabilityMap(int width, int height, int classes, float[] values) {
  public ProbabilityMap {
    if (width <= 0 || height <= 0 || classes <= 0) {
      throw new IllegalArgumentException("bad probability map shape " + width + "x" + height + "x" + classes);
    }
    if (values.length != width * height * classes) {
      throw new IllegalArgumentException(
          "probability buffer holds " + values.length + " floats, " + width + "x" + height + "x" + classes + " needs "
              + width * height * classes);
    }
  }

  /** The most probable class per pixel (ties → the lower index). */
  public LabelMap argmax() {
    byte[] labels = new byte[width * height];
    for (int i = 0; i < labels.length; i++) {
      int base = i * classes;
      int best = 0;
      float bestValue = values[base];
      for (int k = 1; k < classes; k++) {
        if (values[base + k] > bestValue) {
          bestValue = values[base + k];
          best = k;
        }
      }
      labels[i] = (byte) best;
    }
    return new LabelMap(width, height, labels);
  }
}
