package org.segstream.train;

import java.io.PrintWriter;
import java.util.List;
import org.segstream.progress.ProgressLine;

/**
 * Prints training on a {@link ProgressLine}: a bar per epoch (batches, loss, learning rate, images/s, ETA) redrawn
 * in place, each epoch ending with a validation line, and phases on lines of their own.
 */
public final class ProgressPrinter implements ProgressListener {
  private final ProgressLine line;
  private final List<String> classNames;

  public ProgressPrinter(PrintWriter out) {
    this(out, List.of(), true);
  }

  /**
   * @param classNames names for the per-class IoU of the validation lines
   * @param carriageReturns redraw in place (a terminal); false prints a line per redraw (a log file)
   */
  public ProgressPrinter(PrintWriter out, List<String> classNames, boolean carriageReturns) {
    this.line = new ProgressLine(out, carriageReturns);
    this.classNames = List.copyOf(classNames);
  }

  @Override
  public void onStep(TrainProgress p) {
    boolean last = p.stepInEpoch() >= p.stepsPerEpoch() || p.step() >= p.totalSteps();
    if (!last && !line.due()) {
      return;
    }
    line.draw(String.format("epoch %d/%d %s %d/%d  step %d  loss %.4f  lr %.2e  %.1f img/s  data wait %.1f%%  "
            + "elapsed %s  ETA %s ", p.epoch(), p.epochs(), ProgressLine.bar(p.stepInEpoch(), p.stepsPerEpoch()),
        p.stepInEpoch(), p.stepsPerEpoch(), p.step(), p.loss(), p.learningRate(), p.imagesPerSecond(),
        100 * p.dataWaitShare(), ProgressLine.clock(p.elapsed()), ProgressLine.clock(p.remaining())));
  }

  @Override
  public void onEpoch(EpochSummary s) {
    StringBuilder perClass = new StringBuilder();
    List<Double> iou = s.validation().perClassIoU();
    for (int k = 0; k < iou.size(); k++) {
      String name = k < classNames.size() ? classNames.get(k) : "class " + k;
      perClass.append(String.format("  %s %.4f", name, iou.get(k)));
    }
    line.message(String.format("epoch %d/%d validation (%d): pixel accuracy %.4f  mIoU %.4f  foreground IoU %.4f  IoU:%s  "
            + "(train loss %.4f)", s.epoch(), s.epochs(), s.validationCount(), s.validation().pixelAccuracy(),
        s.validation().mIoU(), s.validation().foregroundIoU(), perClass, s.meanLoss()));
  }

  @Override
  public void onPhase(String description) {
    line.message(description);
  }
}
