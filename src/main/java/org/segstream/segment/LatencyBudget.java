package org.segstream.segment;

import java.time.Duration;

/**
 * Capture → result within a budget: before a frame is refined, and before a batch goes to the model,
 * the expected cost of what is left is compared with the time left of two fifths of the budget ({@link #PLANNED_SHARE}),
 * and the segmenter gives up first
 * the refinement's resolution, then the refinement, then the frame. The costs are moving averages of
 * what this segmenter measured, so it sheds work as the load grows and takes it back as it drops.
 * Thread-safe: frame workers record refine times concurrently.
 */
public final class LatencyBudget {
  /** The lower resolution tried before giving up the refinement: half the refine size on the long side. */
  static final int REDUCED_REFINE_DIVISOR = 2;
  /** Weight of the newest measurement in the moving averages. */
  private static final double NEW_WEIGHT = 0.2;
  /**
   * An estimate not measured again for this long is tried anew (one batch to the model, one frame
   * refined in full): what is never run is never measured, and the load may have gone.
   */
  static final long STALE_AFTER_MS = 1000;

  private final long budgetMs;
  private double inferenceMsPerBatch = Double.NaN;
  private double refineMsPerPixel = Double.NaN;
  private double finishMs = Double.NaN;
  private double modelTurnaroundMs = Double.NaN;
  private long inferenceMeasuredAtMs;
  private long refineMeasuredAtMs;

  public LatencyBudget(Duration budget) {
    if (budget.isNegative()) {
      throw new IllegalArgumentException("the latency budget must be 0 (off) or more, got " + budget.toMillis() + " ms");
    }
    this.budgetMs = budget.toMillis();
  }

  public boolean isOff() {
    return budgetMs == 0;
  }

  public long budgetMs() {
    return budgetMs;
  }

  /**
   * The share of the budget every decision plans with. The estimates are averages of what the segmenter itself
   * measures; what they do not see (a frame waiting behind its stream's earlier one, commits, a core taken by
   * something else) is about as large again at the tail, so frames planned to the whole budget missed it one time in
   * ten to twenty under load; planned to half of it, the 99th percentile stayed within the whole on a quiet machine
   * and missed it at 8 streams in three runs of five on a busy one; planned to two fifths, it held with 30–40 ms to
   * spare (BENCHMARKS.md, "Planning to half the budget", "Two fifths of the budget").
   */
  static final double PLANNED_SHARE = 0.4;

  /** {@link #PLANNED_SHARE} in words, for the reasons a result gives. */
  private static final String PLANNED_SHARE_WORDS = "two fifths";

  /** When the segmenter plans a frame captured at {@code captureWallMs} to have its result; never for no budget. */
  public long dueWallMs(long captureWallMs) {
    return isOff() ? Long.MAX_VALUE : captureWallMs + plannedMs();
  }

  private long plannedMs() {
    return Math.round(budgetMs * PLANNED_SHARE);
  }

  /** What the reasons say of the time planned: "the 80 ms planned (two fifths of the 200 ms latency budget)". */
  private String planned() {
    return String.format("the %d ms planned (%s of the %d ms latency budget)", plannedMs(), PLANNED_SHARE_WORDS, budgetMs);
  }

  /**
   * Whether a frame due at {@code dueWallMs} is to be skipped when its batch goes to the model now,
   * behind {@code batchesAhead} batches: null to segment it, else why not.
   */
  public synchronized LeftOut skip(long dueWallMs, long nowMs, int batchesAhead) {
    if (isOff() || Double.isNaN(inferenceMsPerBatch)) {
      return null; // the model is measured before anything is skipped: a cold start's backlog is not all dropped
    }
    if (nowMs - inferenceMeasuredAtMs > STALE_AFTER_MS && dueWallMs > nowMs) {
      inferenceMeasuredAtMs = nowMs; // one batch goes through to measure the model again
      return null;
    }
    double inference = inferenceMsPerBatch;
    double finish = Double.isNaN(finishMs) ? 0 : finishMs;
    // the model calls ahead and its own, or, when that is longer, what batches took from submit until the model had
    // answered them: on an overloaded machine decoding and the model wait for the cores too
    double toModel = Math.max((batchesAhead + 1) * inference, Double.isNaN(modelTurnaroundMs) ? 0 : modelTurnaroundMs);
    double needed = toModel + finish;
    long left = dueWallMs - nowMs;
    if (left >= needed) {
      return null;
    }
    return new LeftOut(LeftOut.Part.SEGMENTATION, String.format(
        "%d ms left at the model of %s, unrefined segmentation takes about %.0f ms (%d batch(es) ahead)",
        Math.max(0, left), planned(), needed, batchesAhead));
  }

  /** How to refine a frame whose result is due at {@code dueWallMs}. */
  public sealed interface RefinePlan permits Full, Reduced, Unrefined {}

  /** At the refine size. */
  public record Full() implements RefinePlan {}

  /** At {@code maxSize} on the long side instead. */
  public record Reduced(int maxSize, LeftOut leftOut) implements RefinePlan {}

  /** Not at all. */
  public record Unrefined(LeftOut leftOut) implements RefinePlan {}

  /**
   * The refinement that fits the time left.
   *
   * @param fullPixels pixels of the frame at the refine size
   * @param maxSize the refine size (long side)
   */
  public synchronized RefinePlan planRefine(long dueWallMs, long nowMs, long fullPixels, int maxSize) {
    if (isOff() || Double.isNaN(refineMsPerPixel)) {
      return new Full();
    }
    if (nowMs - refineMeasuredAtMs > STALE_AFTER_MS) {
      refineMeasuredAtMs = nowMs; // one frame refined in full to measure the refinement again
      return new Full();
    }
    double finish = Double.isNaN(finishMs) ? 0 : finishMs;
    double left = dueWallMs - nowMs - finish;
    double full = refineMsPerPixel * fullPixels;
    if (left >= full) {
      return new Full();
    }
    int reducedSize = maxSize / REDUCED_REFINE_DIVISOR;
    double reduced = full / (REDUCED_REFINE_DIVISOR * REDUCED_REFINE_DIVISOR);
    if (reducedSize >= 16 && left >= reduced) {
      return new Reduced(reducedSize, new LeftOut(LeftOut.Part.FULL_RESOLUTION_REFINEMENT, String.format(
          "refined at %d px instead of %d px: %.0f ms left of %s, the full refinement takes about %.0f ms",
          reducedSize, maxSize, Math.max(0, left), planned(), full)));
    }
    return new Unrefined(new LeftOut(LeftOut.Part.REFINEMENT, String.format(
        "not refined: %.0f ms left of %s, refining takes about %.0f ms (%.0f ms at %d px)",
        Math.max(0, left), planned(), full, reduced, reducedSize)));
  }

  /** A model call of a batch took this long. */
  public synchronized void recordInference(double ms) {
    inferenceMsPerBatch = average(inferenceMsPerBatch, ms);
    inferenceMeasuredAtMs = System.currentTimeMillis();
  }

  /** A refinement of this many pixels took this long. */
  public synchronized void recordRefine(double ms, long pixels) {
    if (pixels > 0) {
      refineMsPerPixel = average(refineMsPerPixel, ms / pixels);
      refineMeasuredAtMs = System.currentTimeMillis();
    }
  }

  /** A batch took this long from its submit until the model had answered it (decoding and waits included). */
  public synchronized void recordModelTurnaround(double ms) {
    modelTurnaroundMs = average(modelTurnaroundMs, ms);
  }

  /** Labels, contours and PNG of a frame took this long after refinement. */
  public synchronized void recordFinish(double ms) {
    finishMs = average(finishMs, ms);
  }

  private static double average(double current, double sample) {
    return Double.isNaN(current) ? sample : current + NEW_WEIGHT * (sample - current);
  }
}
