package org.segstream.temporal;

import org.segstream.image.ProbabilityMap;
import org.segstream.image.RgbImage;

/**
 * One stream's memory: its last frame at the model's input size and its blended probabilities, stored in 8 bits
 * (1/255 steps, far below what moves a label) so that a stream costs width × height × (3 + classes) bytes: 98 KB at
 * 128×128 with three classes.
 */
final class StreamState {
  private long sequence;
  private RgbImage image;
  private final byte[] probabilities;
  private final int classes;

  private StreamState(long sequence, RgbImage image, int classes) {
    this.sequence = sequence;
    this.image = image;
    this.classes = classes;
    this.probabilities = new byte[image.width() * image.height() * classes];
  }

  /** The state of a frame with nothing before it: its own probabilities. */
  static StreamState start(long sequence, RgbImage image, ProbabilityMap current) {
    StreamState s = new StreamState(sequence, image, current.classes());
    float[] p = current.values();
    for (int j = 0; j < p.length; j++) {
      s.probabilities[j] = quantize(p[j]);
    }
    return s;
  }

  long sequence() {
    return sequence;
  }

  /** Whether a frame of this size and class count can be blended with this state. */
  boolean fits(RgbImage next, ProbabilityMap current) {
    return next.width() == image.width() && next.height() == image.height() && current.classes() == classes
        && current.width() == image.width() && current.height() == image.height();
  }

  /** The mean absolute channel change from this state's frame to {@code next}, 0..255. */
  double meanColourChange(RgbImage next) {
    byte[] a = image.rgb();
    byte[] b = next.rgb();
    long sum = 0;
    for (int j = 0; j < a.length; j++) {
      sum += Math.abs((a[j] & 0xff) - (b[j] & 0xff));
    }
    return (double) sum / a.length;
  }

  /**
   * Blends {@code current} (the model's probabilities of {@code next}) with this state pixel by pixel, the previous
   * share falling from {@code previousWeight} where the colour is still to 0 where it moved, and makes the result
   * this state.
   *
   * @return the blended probabilities (each pixel's summing to 1) and the share of pixels that kept some of the past
   */
  Blended blend(long nextSequence, RgbImage next, ProbabilityMap current, TemporalSettings s) {
    byte[] a = image.rgb();
    byte[] b = next.rgb();
    float[] p = current.values();
    float[] out = new float[p.length];
    int pixels = next.width() * next.height();
    float span = s.movingDelta() - s.stillDelta();
    long kept = 0;
    for (int i = 0; i < pixels; i++) {
      int c = 3 * i;
      int delta = Math.max(Math.abs((a[c] & 0xff) - (b[c] & 0xff)),
          Math.max(Math.abs((a[c + 1] & 0xff) - (b[c + 1] & 0xff)), Math.abs((a[c + 2] & 0xff) - (b[c + 2] & 0xff))));
      float still = Math.min(1f, Math.max(0f, (s.movingDelta() - delta) / span));
      float keep = (float) s.previousWeight() * still;
      int base = i * classes;
      if (keep > 0) {
        kept++;
        float sum = 0;
        for (int k = 0; k < classes; k++) {
          float v = (1 - keep) * p[base + k] + keep * ((probabilities[base + k] & 0xff) / 255f);
          out[base + k] = v;
          sum += v;
        }
        for (int k = 0; k < classes; k++) {
          out[base + k] /= sum; // the 8-bit state sums to 1 only within rounding
        }
      } else {
        System.arraycopy(p, base, out, base, classes);
      }
      for (int k = 0; k < classes; k++) {
        probabilities[base + k] = quantize(out[base + k]);
      }
    }
    sequence = nextSequence;
    image = next;
    return new Blended(new ProbabilityMap(current.width(), current.height(), classes, out), (double) kept / pixels);
  }

  record Blended(ProbabilityMap probabilities, double blendedShare) {}

  private static byte quantize(float p) {
    return (byte) Math.round(Math.min(1f, Math.max(0f, p)) * 255f);
  }
}
