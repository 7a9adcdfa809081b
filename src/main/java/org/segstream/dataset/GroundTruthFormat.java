package org.segstream.dataset;

import java.util.List;
import org.segstream.image.LabelMap;
import org.segstream.metrics.BinaryMasks;

/**
 * How ground-truth masks encode classes, and so in which classes a prediction is scored: the model's own
 * (trimap, index) or foreground against background (binary, for a pet model: pet ∪ border = foreground).
 * {@link #truth} is the one decoder of masks, for training layouts and evaluation alike.
 */
public enum GroundTruthFormat {
  /** Oxford-IIIT Pet trimaps: value v is class v − 1 (1 pet, 2 background, 3 border). */
  TRIMAP,
  /** Pixel value = class index. */
  INDEX,
  /** 0 = background, anything else (e.g. 255) = object; scored as foreground IoU. */
  BINARY;

  /** The classes of the scores: the model's, or background/foreground for binary masks. */
  public List<String> scoredClasses(List<String> modelClasses) {
    return this == BINARY ? List.of("background", "foreground") : modelClasses;
  }

  /** The background class of the scores. */
  public int scoredBackground(int modelBackground) {
    return this == BINARY ? BinaryMasks.BACKGROUND : modelBackground;
  }

  /**
   * The truth as scored labels: for {@code classes} classes, a trimap's values 1..classes become 0..classes − 1, an
   * index mask's values must be below {@code classes}, a binary mask becomes 0/1.
   *
   * @throws MaskValueException naming the first offending value and pixel when the mask does not fit the format
   */
  public LabelMap truth(LabelMap mask, int classes) {
    return switch (this) {
      case BINARY -> BinaryMasks.fromMask(mask);
      case INDEX -> checked(mask, classes);
      case TRIMAP -> {
        byte[] in = mask.labels();
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
          int v = in[i] & 0xff;
          if (v < 1 || v > classes) {
            throw new MaskValueException(
                "trimap value " + v + " at pixel (" + i % mask.width() + ", " + i / mask.width() + ") is outside 1.."
                    + classes + ": is this a trimap? try the ground-truth format binary or index", v, i % mask.width(), i / mask.width());
          }
          out[i] = (byte) (v - 1);
        }
        yield new LabelMap(mask.width(), mask.height(), out);
      }
    };
  }

  /** The prediction (model class indices) as scored labels. */
  public LabelMap prediction(LabelMap predicted, int modelBackground) {
    return this == BINARY ? BinaryMasks.toForeground(predicted, modelBackground) : predicted;
  }

  private static LabelMap checked(LabelMap mask, int classes) {
    byte[] in = mask.labels();
    for (int i = 0; i < in.length; i++) {
      int v = in[i] & 0xff;
      if (v >= classes) {
        throw new MaskValueException(
            "class index " + v + " at pixel (" + i % mask.width() + ", " + i / mask.width() + ") is outside 0.."
                + (classes - 1) + ": is this an index mask? try the ground-truth format binary or trimap", v, i % mask.width(), i / mask.width());
      }
    }
    return mask;
  }
}
