package org.segstream.metrics;

import org.segstream.image.LabelMap;

/**
 * Two-class maps for scoring a multi-class model against binary ground truth (e.g. DAVIS masks, 0 background,
 * 255 object): both sides become {@link #BACKGROUND} = 0 / {@link #FOREGROUND} = 1, then a
 * {@code new ConfusionMatrix(2)} gives {@code foregroundIoU(BinaryMasks.BACKGROUND)} and {@link BoundaryF}
 * works on them unchanged. For a pet model, foreground = pet ∪ border.
 */
public final class BinaryMasks {
  public static final int BACKGROUND = 0;
  public static final int FOREGROUND = 1;

  private BinaryMasks() {}

  /** A binary mask read as labels (0 = background, any other value, e.g. 255, = foreground) → 0/1. */
  public static LabelMap fromMask(LabelMap mask) {
    byte[] in = mask.labels();
    byte[] out = new byte[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = (byte) (in[i] == 0 ? BACKGROUND : FOREGROUND);
    }
    return new LabelMap(mask.width(), mask.height(), out);
  }

  /** A class map → 0/1: {@code backgroundClass} → background, every other class → foreground. */
  public static LabelMap toForeground(LabelMap labels, int backgroundClass) {
    byte[] in = labels.labels();
    byte[] out = new byte[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = (byte) ((in[i] & 0xff) == backgroundClass ? BACKGROUND : FOREGROUND);
    }
    return new LabelMap(labels.width(), labels.height(), out);
  }
}
