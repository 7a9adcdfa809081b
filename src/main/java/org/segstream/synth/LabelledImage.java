package org.segstream.synth;

import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;

/** An image with its exact per-pixel ground truth (class indices of {@link SyntheticScenes#CLASS_NAMES}). */
public record LabelledImage(RgbImage image, LabelMap truth) {
  public LabelledImage {
    if (image.width() != truth.width() || image.height() != truth.height()) {
      throw new IllegalArgumentException("image is " + image.width() + "x" + image.height() + " but its truth is "
          + truth.width() + "x" + truth.height());
    }
  }
}
