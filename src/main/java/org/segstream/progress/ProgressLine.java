package org.segstream.progress;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * One status line on a console: redrawn in place with a carriage return on a terminal, or printed as a line of its
 * own per redraw for a log file, at most once per interval (a quarter second in place, 7.5 s as log lines) so a
 * fast loop does not flood the output. Messages print on lines of their own after the open status line is ended.
 * Not thread-safe.
 */
public final class ProgressLine {
  /** The width of {@link #bar}, between its brackets. */
  public static final int BAR_WIDTH = 24;
  private static final long IN_PLACE_INTERVAL_NANOS = 250_000_000L;
  private static final long LOG_INTERVAL_NANOS = 30 * IN_PLACE_INTERVAL_NANOS;

  private final PrintWriter out;
  private final boolean inPlace;
  private final long intervalNanos;
  private boolean drawn;
  private long lastDraw;
  private boolean lineOpen;

  /** @param inPlace redraw one line with carriage returns (a terminal); false prints a line per redraw (a log file) */
  public ProgressLine(PrintWriter out, boolean inPlace) {
    this.out = out;
    this.inPlace = inPlace;
    this.intervalNanos = inPlace ? IN_PLACE_INTERVAL_NANOS : LOG_INTERVAL_NANOS;
  }

  /** True when nothing was drawn yet or the interval since the last draw has passed. */
  public boolean due() {
    return !drawn || System.nanoTime() - lastDraw >= intervalNanos;
  }

  /** Draws {@code text} now, whether {@link #due()} or not. */
  public void draw(String text) {
    lastDraw = System.nanoTime();
    drawn = true;
    if (inPlace) {
      out.print("\r" + text);
    } else {
      out.println(text);
    }
    out.flush();
    lineOpen = inPlace;
  }

  /** Ends the status line, then prints {@code message} on a line of its own. */
  public void message(String message) {
    endLine();
    out.println(message);
    out.flush();
  }

  /** Ends the status line if one is open, so what follows starts on a fresh line. */
  public void endLine() {
    if (lineOpen) {
      out.println();
      out.flush();
      lineOpen = false;
    }
  }

  /** {@code [#####...................]}: {@code done} of {@code total} as {@link #BAR_WIDTH} characters. */
  public static String bar(long done, long total) {
    int filled = (int) Math.max(0, Math.min(BAR_WIDTH, Math.round(BAR_WIDTH * (double) done / total)));
    return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
  }

  /** {@code m:ss}, or {@code h:mm:ss} from an hour on; negative durations show as 0:00. */
  public static String clock(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
  }
}
