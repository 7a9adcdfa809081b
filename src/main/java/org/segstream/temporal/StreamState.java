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
  private byte[] probabilities;
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

  /**
   * How the picture moved from this state's frame to {@code next}: the whole-frame shift that matches them best (a
   * camera that pans or shakes moves every pixel, which the per-pixel guard alone would take for motion everywhere),
   * searched within {@link #searchRadius} on the frames' brightness, coarse then fine, no shift winning ties; and the
   * mean absolute channel change (0..255) between the frames so aligned, over the pixels both frames show.
   */
  Alignment align(RgbImage next) {
    int w = next.width();
    int h = next.height();
    int r = searchRadius(w, h);
    int dx = 0;
    int dy = 0;
    if (r > 0) {
      int[] a = brightness(image);
      int[] b = brightness(next);
      long best = difference(a, b, w, h, r, 0, 0, COARSE_STEP);
      for (int sy = -r; sy <= r; sy++) {
        for (int sx = -r; sx <= r; sx++) {
          long d = difference(a, b, w, h, r, sx, sy, COARSE_STEP);
          if (d < best) {
            best = d;
            dx = sx;
            dy = sy;
          }
        }
      }
      int cx = dx;
      int cy = dy;
      best = difference(a, b, w, h, r, cx, cy, 1);
      for (int sy = Math.max(-r, cy - 1); sy <= Math.min(r, cy + 1); sy++) {
        for (int sx = Math.max(-r, cx - 1); sx <= Math.min(r, cx + 1); sx++) {
          long d = difference(a, b, w, h, r, sx, sy, 1);
          if (d < best) {
            best = d;
            dx = sx;
            dy = sy;
          }
        }
      }
    }
    byte[] p = image.rgb();
    byte[] n = next.rgb();
    long sum = 0;
    long count = 0;
    for (int y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
      for (int x = Math.max(0, dx); x < Math.min(w, w + dx); x++) {
        int i = 3 * (y * w + x);
        int j = 3 * ((y - dy) * w + (x - dx));
        sum += Math.abs((n[i] & 0xff) - (p[j] & 0xff)) + Math.abs((n[i + 1] & 0xff) - (p[j + 1] & 0xff))
            + Math.abs((n[i + 2] & 0xff) - (p[j + 2] & 0xff));
        count += 3;
      }
    }
    return new Alignment(dx, dy, count == 0 ? 255 : (double) sum / count);
  }

  /** next(x, y) shows what the previous frame showed at (x − dx, y − dy). */
  record Alignment(int dx, int dy, double meanChange) {}

  /** The coarse search looks at every 4th pixel of every 4th row. */
  private static final int COARSE_STEP = 4;

  /** A sixteenth of the long side (8 px at 128), at most a quarter of the short side: the shift searched each way. */
  static int searchRadius(int width, int height) {
    return Math.min(Math.max(width, height) / 16, Math.min(width, height) / 4);
  }

  private static int[] brightness(RgbImage image) {
    byte[] rgb = image.rgb();
    int[] out = new int[image.width() * image.height()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (77 * (rgb[3 * i] & 0xff) + 150 * (rgb[3 * i + 1] & 0xff) + 29 * (rgb[3 * i + 2] & 0xff)) >> 8;
    }
    return out;
  }

  /** The summed brightness difference at shift (dx, dy) over the same inner pixels (a margin of r) for every shift. */
  private static long difference(int[] previous, int[] next, int w, int h, int r, int dx, int dy, int step) {
    long sum = 0;
    for (int y = r; y < h - r; y += step) {
      int row = y * w;
      int from = (y - dy) * w - dx;
      for (int x = r; x < w - r; x += step) {
        sum += Math.abs(next[row + x] - previous[from + x]);
      }
    }
    return sum;
  }

  /**
   * Blends {@code current} (the model's probabilities of {@code next}) with this state moved by {@code moved}, pixel
   * by pixel, the previous share falling from {@code previousWeight} where the aligned colour is still to 0 where it
   * changed (an object that moves against the background, or a pixel the previous frame did not show), and makes the
   * result this state.
   *
   * @return the blended probabilities (each pixel's summing to 1) and the share of pixels that kept some of the past
   */
  Blended blend(long nextSequence, RgbImage next, ProbabilityMap current, Alignment moved, TemporalSettings s) {
    byte[] a = image.rgb();
    byte[] b = next.rgb();
    float[] p = current.values();
    float[] out = new float[p.length];
    byte[] blended = new byte[probabilities.length];
    int w = next.width();
    int h = next.height();
    float span = s.movingDelta() - s.stillDelta();
    long kept = 0;
    for (int y = 0; y < h; y++) {
      int sy = y - moved.dy();
      for (int x = 0; x < w; x++) {
        int sx = x - moved.dx();
        int i = y * w + x;
        int base = i * classes;
        float keep = 0;
        int from = 0;
        if (sx >= 0 && sy >= 0 && sx < w && sy < h) {
          int src = sy * w + sx;
          int c = 3 * i;
          int e = 3 * src;
          int delta = Math.max(Math.abs((a[e] & 0xff) - (b[c] & 0xff)),
              Math.max(Math.abs((a[e + 1] & 0xff) - (b[c + 1] & 0xff)), Math.abs((a[e + 2] & 0xff) - (b[c + 2] & 0xff))));
          keep = (float) s.previousWeight() * Math.min(1f, Math.max(0f, (s.movingDelta() - delta) / span));
          from = src * classes;
        }
        if (keep > 0) {
          kept++;
          float sum = 0;
          for (int k = 0; k < classes; k++) {
            float v = (1 - keep) * p[base + k] + keep * ((probabilities[from + k] & 0xff) / 255f);
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
          blended[base + k] = quantize(out[base + k]);
        }
      }
    }
    probabilities = blended; // a new array: the old one was read shifted while this one was written
    sequence = nextSequence;
    image = next;
    return new Blended(new ProbabilityMap(w, h, classes, out), (double) kept / (w * h));
  }

  record Blended(ProbabilityMap probabilities, double blendedShare) {}

  private static byte quantize(float p) {
    return (byte) Math.round(Math.min(1f, Math.max(0f, p)) * 255f);
  }
}
