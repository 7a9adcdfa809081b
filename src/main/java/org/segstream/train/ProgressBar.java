package org.segstream.train;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * A one-line progress bar (steps, loss, images/s, ETA) redrawn in place with carriage returns, at
 * most a few times a second; phases print on lines of their own.
 */
public final class ProgressBar implements ProgressListener {
  private static final int WIDTH = 24;
  private static final long REDRAW_NANOS = 250_000_000L;

  private final PrintWriter out;
  private long lastDraw;
  private boolean lineOpen;

  public ProgressBar(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void onStep(TrainProgress p) {
    long now = System.nanoTime();
    boolean last = p.step() >= p.totalSteps();
    if (!last && lineOpen && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    int filled = (int) Math.round(WIDTH * (double) p.step() / p.totalSteps());
    String bar = "#".repeat(Math.min(WIDTH, filled)) + ".".repeat(Math.max(0, WIDTH - filled));
    out.printf("\r[%s] step %d/%d  loss %.4f  %.1f img/s  elapsed %s  ETA %s ", bar, p.step(), p.totalSteps(),
        p.loss(), p.imagesPerSecond(), clock(p.elapsed()), clock(p.remaining()));
    out.flush();
    lineOpen = true;
  }

  @Override
  public void onPhase(String description) {
    if (lineOpen) {
      out.println();
      lineOpen = false;
    }
    out.println(description);
    out.flush();
  }

  static String clock(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
  }
}
