package org.segstream.metrics;

import org.segstream.image.LabelMap;

/**
 * How steady a stream of predicted masks is: the mean, over consecutive pairs of predictions, of the pair's
 * mean IoU (the earlier mask taken as truth, classes present in either). 1 = nothing changed between frames; a
 * flickering mask scores low even when each frame is accurate. Feed predictions in sequence order.
 */
public final class TemporalStability {
  private final int classes;
  private LabelMap previous;
  private double sum;
  private long pairs;

  public TemporalStability(int classes) {
    this.classes = classes;
  }

  /** Adds the next prediction; returns the IoU with the previous one, NaN for the first. */
  public double add(LabelMap predicted) {
    double iou = Double.NaN;
    if (previous != null) {
      iou = pairIoU(previous, predicted, classes);
      sum += iou;
      pairs++;
    }
    previous = predicted;
    return iou;
  }

  /** The mean over consecutive pairs; NaN with fewer than two predictions. */
  public double mean() {
    return pairs == 0 ? Double.NaN : sum / pairs;
  }

  public long pairs() {
    return pairs;
  }

  /** The mean IoU of two masks of the same size, over the classes present in either. */
  public static double pairIoU(LabelMap earlier, LabelMap later, int classes) {
    return new ConfusionMatrix(classes).add(earlier, later).meanIoU();
  }
}
