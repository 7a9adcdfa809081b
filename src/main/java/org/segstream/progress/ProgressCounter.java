package org.segstream.progress;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Items done of a known or unknown total on a {@link ProgressLine} redrawn in place:
 * {@code eval: refine off [#####...] 23/49 frames  12.3/s}. Without a total it shows the count and rate only. The
 * last item is always drawn.
 */
public final class ProgressCounter {
  private final ProgressLine line;
  private final String label;
  private final String unit;
  private final long total;
  private final long started = System.nanoTime();
  private long done;
  private long drawn = -1;

  /** @param total the count at completion, 0 when unknown */
  public ProgressCounter(PrintWriter out, String label, String unit, long total) {
    this.line = new ProgressLine(out, true);
    this.label = label;
    this.unit = unit;
    this.total = total;
  }

  public void step() {
    update(done + 1);
  }

  public void update(long count) {
    done = count;
    if (line.due() || (total > 0 && done >= total)) {
      draw();
    }
  }

  /** Draws the final state and ends the line. */
  public void finish() {
    if (drawn != done) {
      draw();
    }
    line.endLine();
  }

  private void draw() {
    double seconds = (System.nanoTime() - started) / 1e9;
    double rate = seconds > 0 ? done / seconds : 0;
    String counter = total > 0 ? ProgressLine.bar(done, total) + " " + done + "/" + total : done + "";
    line.draw(String.format(Locale.ROOT, "%s %s %s  %.1f/s ", label, counter, unit, rate));
    drawn = done;
  }
}
