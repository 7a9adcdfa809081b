package org.segstream.metrics;

import java.util.Arrays;
import org.segstream.image.LabelMap;

/**
 * Pixel counts per (truth, predicted) class pair, accumulated over a whole set at the ground truth's
 * resolution; every score is computed from the totals, not averaged per image. IoU = TP / (TP + FP + FN),
 * Dice = 2TP / (2TP + FP + FN). A class that occurs in neither the truth nor the prediction has no score
 * (NaN) and is left out of {@link #meanIoU()}. Not thread-safe: one per thread, then {@link #merge}.
 */
public final class ConfusionMatrix {
  private final int classes;
  private final long[] counts;

  public ConfusionMatrix(int classes) {
    if (classes < 1 || classes > 256) {
      throw new IllegalArgumentException("class count must be 1..256, got " + classes);
    }
    this.classes = classes;
    this.counts = new long[classes * classes];
  }

  public int classes() {
    return classes;
  }

  /** Adds one image's pixels; both maps must have the same size and labels below {@link #classes()}. */
  public ConfusionMatrix add(LabelMap truth, LabelMap predicted) {
    if (truth.width() != predicted.width() || truth.height() != predicted.height()) {
      throw new IllegalArgumentException("truth is " + truth.width() + "x" + truth.height() + " but prediction is "
          + predicted.width() + "x" + predicted.height() + "; resize the prediction to the truth's size first");
    }
    byte[] t = truth.labels();
    byte[] p = predicted.labels();
    long[] local = new long[counts.length];
    for (int i = 0; i < t.length; i++) {
      int ti = t[i] & 0xff;
      int pi = p[i] & 0xff;
      if (ti >= classes || pi >= classes) {
        throw new IllegalArgumentException(
            (ti >= classes ? "truth label " + ti : "predicted label " + pi) + " at pixel (" + i % truth.width() + ", "
                + i / truth.width() + ") is outside 0.." + (classes - 1));
      }
      local[ti * classes + pi]++;
    }
    // Counted aside first so a bad label leaves the matrix unchanged.
    for (int k = 0; k < counts.length; k++) {
      counts[k] += local[k];
    }
    return this;
  }

  /** Adds another matrix's counts (same class count). */
  public ConfusionMatrix merge(ConfusionMatrix other) {
    if (other.classes != classes) {
      throw new IllegalArgumentException("cannot merge a " + other.classes + "-class matrix into a " + classes
          + "-class one");
    }
    for (int k = 0; k < counts.length; k++) {
      counts[k] += other.counts[k];
    }
    return this;
  }

  /** Pixels of class {@code truth} predicted as {@code predicted}. */
  public long count(int truth, int predicted) {
    checkClass(truth);
    checkClass(predicted);
    return counts[truth * classes + predicted];
  }

  public long total() {
    long sum = 0;
    for (long c : counts) {
      sum += c;
    }
    return sum;
  }

  /** TP / (TP + FP + FN) of class k; NaN when k occurs in neither truth nor prediction. */
  public double iou(int k) {
    checkClass(k);
    long tp = counts[k * classes + k];
    long union = truthCount(k) + predictedCount(k) - tp;
    return union == 0 ? Double.NaN : (double) tp / union;
  }

  /** 2TP / (2TP + FP + FN) of class k; NaN when k occurs in neither truth nor prediction. */
  public double dice(int k) {
    checkClass(k);
    long tp = counts[k * classes + k];
    long both = truthCount(k) + predictedCount(k);
    return both == 0 ? Double.NaN : 2.0 * tp / both;
  }

  /** IoU per class, NaN for classes absent from both truth and prediction. */
  public double[] perClassIoU() {
    double[] out = new double[classes];
    for (int k = 0; k < classes; k++) {
      out[k] = iou(k);
    }
    return out;
  }

  /** Dice per class, NaN for classes absent from both truth and prediction. */
  public double[] perClassDice() {
    double[] out = new double[classes];
    for (int k = 0; k < classes; k++) {
      out[k] = dice(k);
    }
    return out;
  }

  /** Mean IoU over the classes present in the truth or the prediction of the whole set; NaN when empty. */
  public double meanIoU() {
    return Arrays.stream(perClassIoU()).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
  }

  /** Correct pixels / all pixels; NaN when empty. */
  public double pixelAccuracy() {
    long correct = 0;
    for (int k = 0; k < classes; k++) {
      correct += counts[k * classes + k];
    }
    long total = total();
    return total == 0 ? Double.NaN : (double) correct / total;
  }

  /**
   * IoU of foreground = every class except {@code backgroundClass} taken together (for pets: pet ∪ border), so
   * confusing pet with border costs nothing; NaN when neither truth nor prediction has foreground.
   */
  public double foregroundIoU(int backgroundClass) {
    checkClass(backgroundClass);
    long tp = 0;
    long fp = 0;
    long fn = 0;
    for (int t = 0; t < classes; t++) {
      for (int p = 0; p < classes; p++) {
        long c = counts[t * classes + p];
        boolean truthFg = t != backgroundClass;
        boolean predFg = p != backgroundClass;
        if (truthFg && predFg) {
          tp += c;
        } else if (predFg) {
          fp += c;
        } else if (truthFg) {
          fn += c;
        }
      }
    }
    long union = tp + fp + fn;
    return union == 0 ? Double.NaN : (double) tp / union;
  }

  private long truthCount(int k) {
    long sum = 0;
    for (int p = 0; p < classes; p++) {
      sum += counts[k * classes + p];
    }
    return sum;
  }

  private long predictedCount(int k) {
    long sum = 0;
    for (int t = 0; t < classes; t++) {
      sum += counts[t * classes + k];
    }
    return sum;
  }

  private void checkClass(int k) {
    if (k < 0 || k >= classes) {
      throw new IllegalArgumentException("class " + k + " is outside 0.." + (classes - 1));
    }
  }

  @Override
  public String toString() {
    return "ConfusionMatrix[classes=" + classes + ", total=" + total() + ", pixelAccuracy=" + pixelAccuracy()
        + ", mIoU=" + meanIoU() + "]";
  }
}
