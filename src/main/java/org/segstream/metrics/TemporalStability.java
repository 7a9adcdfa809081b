package org.segstream.metrics;

import org.segstream.image.LabelMap;

/**
 * How steady a stream of predicted masks is: the mean, over consecutive pairs of predictions, of the pair's
 * mean IoU (the earlier mask taken as truth, classes present in either), and the share of pixels whose label
 * flips between consecutive predictions. 1 and 0 = nothing changed between frames; a flickering mask scores
 * low (and high) even when each frame is accurate. Feed predictions in sequence order. A prediction of another
 * size than the previous one starts a new chain (the source changed size: there is nothing to compare).
 */
public final class TemporalStability {
  private final int classes;
  private LabelMap previous;
  private double sum;
  private long pairs;
  private long flipped;
  private long compared;

  public TemporalStability(int classes) {
    this.classes = classes;
  }

  /** Adds the next prediction; returns the IoU with the previous one, NaN for the first or after a change of size. */
  public double add(LabelMap predicted) {
    double iou = Double.NaN;
    if (previous != null && previous.width() == predicted.width() && previous.height() == predicted.height()) {
      iou = pairIoU(previous, predicted, classes);
      sum += iou;
      pairs++;
      flipped += flips(previous, predicted);
      compared += predicted.labels().length;
    }
    previous = predicted;
    return iou;
  }

  /** The mean over consecutive pairs; NaN with fewer than two predictions. */
  public double mean() {
    return pairs == 0 ? Double.NaN : sum / pairs;
  }

  /** The share of pixels whose label differs from the previous prediction's, over every pair; NaN with fewer than two. */
  public double flipShare() {
    return compared == 0 ? Double.NaN : (double) flipped / compared;
  }

  /** How many pixels of two masks of the same size differ. */
  public static long flips(LabelMap earlier, LabelMap later) {
    if (earlier.width() != later.width() || earlier.height() != later.height()) {
      throw new IllegalArgumentException("masks of " + earlier.width() + "x" + earlier.height() + " and " + later.width()
          + "x" + later.height() + " cannot be compared pixel by pixel");
    }
    byte[] a = earlier.labels();
    byte[] b = later.labels();
    long n = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        n++;
      }
    }
    return n;
  }

  public long pairs() {
    return pairs;
  }

  /** The mean IoU of two masks of the same size, over the classes present in either. */
  public static double pairIoU(LabelMap earlier, LabelMap later, int classes) {
    return new ConfusionMatrix(classes).add(earlier, later).meanIoU();
  }
}
