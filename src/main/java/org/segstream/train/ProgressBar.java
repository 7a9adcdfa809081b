package org.segstream.train;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/**
 * A one-line progress bar per epoch (batches, loss, learning rate, images/s, ETA) redrawn in place
 * with carriage returns, at most a few times a second; each epoch ends with a validation line, and
 * phases print on lines of their own.
 */
public final class ProgressBar implements ProgressListener {
  private static final int WIDTH = 24;
  private static final long REDRAW_NANOS = 250_000_000L;

  private final PrintWriter out;
  private final List<String> classNames;
  private final boolean carriageReturns;
  private long lastDraw;
  private boolean lineOpen;

  public ProgressBar(PrintWriter out) {
    this(out, List.of(), true);
  }

  /**
   * @param classNames names for the per-class IoU of the validation lines
   * @param carriageReturns redraw in place (a terminal); false prints a line per redraw (a log file)
   */
  public ProgressBar(PrintWriter out, List<String> classNames, boolean carriageReturns) {
    this.out = out;
    this.classNames = List.copyOf(classNames);
    this.carriageReturns = carriageReturns;
  }

  @Override
  public void onStep(TrainProgress p) {
    long now = System.nanoTime();
    boolean last = p.stepInEpoch() >= p.stepsPerEpoch() || p.step() >= p.totalSteps();
    long interval = carriageReturns ? REDRAW_NANOS : 30 * REDRAW_NANOS;
    if (!last && lastDraw != 0 && now - lastDraw < interval) {
      return;
    }
    lastDraw = now;
    int filled = (int) Math.round(WIDTH * (double) p.stepInEpoch() / p.stepsPerEpoch());
    String bar = "#".repeat(Math.min(WIDTH, filled)) + ".".repeat(Math.max(0, WIDTH - filled));
    String line = String.format("epoch %d/%d [%s] %d/%d  step %d  loss %.4f  lr %.2e  %.1f img/s  data wait %.1f%%  "
            + "elapsed %s  ETA %s ", p.epoch(), p.epochs(), bar, p.stepInEpoch(), p.stepsPerEpoch(), p.step(), p.loss(),
        p.learningRate(), p.imagesPerSecond(), 100 * p.dataWaitShare(), clock(p.elapsed()), clock(p.remaining()));
    if (carriageReturns) {
      out.print("\r" + line);
    } else {
      out.println(line);
    }
    out.flush();
    lineOpen = carriageReturns;
  }

  @Override
  public void onEpoch(EpochSummary s) {
    closeLine();
    StringBuilder perClass = new StringBuilder();
    List<Double> iou = s.validation().perClassIoU();
    for (int k = 0; k < iou.size(); k++) {
      String name = k < classNames.size() ? classNames.get(k) : "class " + k;
      perClass.append(String.format("  %s %.4f", name, iou.get(k)));
    }
    out.printf("epoch %d/%d validation (%d): pixel accuracy %.4f  mIoU %.4f  foreground IoU %.4f  IoU:%s  "
            + "(train loss %.4f)%n", s.epoch(), s.epochs(), s.validationCount(), s.validation().pixelAccuracy(),
        s.validation().mIoU(), s.validation().foregroundIoU(), perClass, s.meanLoss());
    out.flush();
  }

  @Override
  public void onPhase(String description) {
    closeLine();
    out.println(description);
    out.flush();
  }

  private void closeLine() {
    if (lineOpen) {
      out.println();
      lineOpen = false;
    }
  }

  static String clock(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
  }
}
