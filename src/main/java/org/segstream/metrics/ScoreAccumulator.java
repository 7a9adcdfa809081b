package org.segstream.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.segstream.image.LabelMap;
import org.segstream.image.Resampling;

/**
 * Scores predictions against truth frame by frame: one confusion matrix over the whole set, boundary F per
 * frame averaged, per-frame scores, and the temporal stability of the predictions. Labels are the scored
 * classes (the model's, or background/foreground, see {@link BinaryMasks}); a prediction of another size than its truth is resized to the
 * truth's (nearest), since scores are taken at the truth's resolution. Not thread-safe.
 */
public final class ScoreAccumulator {
  private final List<String> classNames;
  private final int backgroundClass;
  private final ConfusionMatrix confusion;
  private final BoundaryF boundaryF;
  private final TemporalStability stability;
  private final List<FrameScore> perFrame = new ArrayList<>();

  public ScoreAccumulator(List<String> classNames, int backgroundClass, int boundaryTolerancePx) {
    this.classNames = List.copyOf(classNames);
    this.backgroundClass = backgroundClass;
    this.confusion = new ConfusionMatrix(classNames.size());
    this.boundaryF = new BoundaryF(boundaryTolerancePx);
    this.stability = new TemporalStability(classNames.size());
  }

  /** Scores one frame with its truth and returns the frame's scores. */
  public FrameScore add(long sequence, LabelMap truth, LabelMap predicted) {
    LabelMap p = predicted;
    if (p.width() != truth.width() || p.height() != truth.height()) {
      p = Resampling.nearest(p, truth.width(), truth.height());
    }
    ConfusionMatrix frame = new ConfusionMatrix(classNames.size()).add(truth, p);
    confusion.merge(frame);
    double bf = boundaryF.add(truth, p);
    FrameScore score = new FrameScore(sequence, frame.meanIoU(), frame.foregroundIoU(backgroundClass), bf);
    perFrame.add(score);
    return score;
  }

  /** Adds a prediction to the temporal stability only (every result, with or without truth, in sequence order). */
  public void addToSequence(LabelMap predicted) {
    stability.add(predicted);
  }

  public ConfusionMatrix confusion() {
    return confusion;
  }

  public Scores scores() {
    Map<String, Double> iou = new LinkedHashMap<>();
    Map<String, Double> dice = new LinkedHashMap<>();
    for (int k = 0; k < classNames.size(); k++) {
      iou.put(classNames.get(k), confusion.iou(k));
      dice.put(classNames.get(k), confusion.dice(k));
    }
    return new Scores(
        perFrame.size(),
        iou,
        confusion.meanIoU(),
        dice,
        confusion.pixelAccuracy(),
        confusion.foregroundIoU(backgroundClass),
        boundaryF.tolerancePx(),
        boundaryF.mean(),
        stability.mean(),
        stability.flipShare(),
        foregroundSwing(),
        List.copyOf(perFrame));
  }

  /** The mean absolute change of the foreground IoU between consecutive scored frames, both with one; NaN for none. */
  private double foregroundSwing() {
    if (stability.pairs() == 0) {
      return Double.NaN; // an image set, not a video
    }
    double sum = 0;
    long n = 0;
    for (int f = 1; f < perFrame.size(); f++) {
      double a = perFrame.get(f - 1).foregroundIoU();
      double b = perFrame.get(f).foregroundIoU();
      if (!Double.isNaN(a) && !Double.isNaN(b)) {
        sum += Math.abs(b - a);
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }
}
