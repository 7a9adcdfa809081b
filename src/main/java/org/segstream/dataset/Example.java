package org.segstream.dataset;

import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;

/** One labelled image: a training or validation pair, named so validation sets can be listed. */
public record Example(String name, RgbImage image, LabelMap truth) {
  public Example {
    if (image.width() != truth.width() || image.height() != truth.height()) {
      throw new IllegalArgumentException("example " + name + ": image " + image.width() + "x" + image.height()
          + " and labels " + truth.width() + "x" + truth.height() + " differ in size");
    }
  }
}
