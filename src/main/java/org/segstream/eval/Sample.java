package org.segstream.eval;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;

/**
 * One frame or image kept for a contact sheet: the input, its ground truth and each mode's prediction, truth and
 * predictions in the scored classes (see {@link org.segstream.dataset.GroundTruthFormat}) so they compare.
 *
 * @param predictions per mode name; a mode without a prediction for this input is absent
 */
public record Sample(String caption, RgbImage image, LabelMap truth, Map<String, LabelMap> predictions) {
  public Sample {
    predictions = Map.copyOf(predictions);
  }

  /** Up to {@code n} items spread evenly over the list: which frames a contact sheet shows. */
  public static Set<Long> spreadOver(List<Long> items, int n) {
    Set<Long> out = new TreeSet<>();
    if (n <= 0 || items.isEmpty()) {
      return out;
    }
    for (int k = 0; k < n; k++) {
      out.add(items.get((int) Math.min(items.size() - 1, Math.round((k + 0.5) * items.size() / n - 0.5))));
    }
    return out;
  }
}
