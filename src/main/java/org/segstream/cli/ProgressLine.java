package org.segstream.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn in place at most a few times a second: {@code [#####.....] 23/49
 * frames  12.3/s}. Without a known total it shows the count and rate only.
 */
final class ProgressLine {
  private static final int WIDTH = 24;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintWriter out;
  private final String label;
  private final String unit;
  private final long total;
  private final long started = System.nanoTime();
  private long lastDraw;
  private long done;
  private long drawn = -1;

  /** @param total the count at completion, 0 when unknown */
  ProgressLine(PrintWriter out, String label, String unit, long total) {
    this.out = out;
    this.label = label;
    this.unit = unit;
    this.total = total;
  }

  void step() {
    update(done + 1);
  }

  void update(long count) {
    done = count;
    long now = System.nanoTime();
    if (now - lastDraw < REDRAW_NANOS && (total == 0 || done < total)) {
      return;
    }
    lastDraw = now;
    draw(now);
  }

  /** Draws the final state and ends the line. */
  void finish() {
    if (drawn != done) {
      draw(System.nanoTime());
    }
    out.println();
    out.flush();
  }

  private void draw(long now) {
    double seconds = (now - started) / 1e9;
    double rate = seconds > 0 ? done / seconds : 0;
    String counter;
    if (total > 0) {
      int filled = (int) Math.min(WIDTH, Math.round(WIDTH * (double) done / total));
      counter = "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total;
    } else {
      counter = done + "";
    }
    out.printf(Locale.ROOT, "\r%s %s %s  %.1f/s ", label, counter, unit, rate);
    drawn = done;
    out.flush();
  }
}
