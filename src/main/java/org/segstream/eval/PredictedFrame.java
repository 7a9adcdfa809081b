package org.segstream.eval;

import java.util.List;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;
import org.segstream.refine.Contour;

/**
 * An input frame with the prediction made for it: what an overlay video draws.
 *
 * @param truth the ground truth in the model's classes, null when unknown
 * @param labels the predicted label map (model classes), null when no result came back for the frame
 * @param contours the result's contours, empty without a result
 */
public record PredictedFrame(long sequence, RgbImage image, LabelMap truth, LabelMap labels, List<Contour> contours) {
  public PredictedFrame {
    contours = List.copyOf(contours);
  }

  /** Whether the prediction exists and covers the frame pixel for pixel. */
  public boolean predictionFits() {
    return labels != null && labels.width() == image.width() && labels.height() == image.height();
  }
}
