package org.segstream.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.segstream.metrics.LatencySummary;
import org.segstream.model.Machine;

/**
 * What {@link LoadBenchmark} measured per load, and its table.
 *
 * @param setup the header line: model, batching, refinement, budget, clips and pacing
 * @param budgetMs the processor's latency budget, 0 for none
 */
public record LoadResult(String setup, long budgetMs, List<Load> loads) {
  public LoadResult {
    loads = List.copyOf(loads);
  }

  /**
   * What the results said of themselves, as shares of the frame results: fully processed ({@code leftOut} null),
   * refined at a lower resolution, not refined, skipped before the model (no label map).
   */
  public record Shares(double full, double reducedRefinement, double unrefined, double skipped) {
    public double sum() {
      return full + reducedRefinement + unrefined + skipped;
    }
  }

  /**
   * Mean IoU over the classes, from one confusion matrix over every frame of the load.
   *
   * @param meanIoU a skipped frame scored as all background (what a viewer of the masks gets for it)
   * @param meanIoUAnswered skipped frames left out (the quality of what was segmented); NaN when every frame was skipped
   */
  public record Accuracy(double meanIoU, double meanIoUAnswered) {}

  /**
   * One load.
   *
   * @param offeredPerSecond frames per second fed over all streams
   * @param achievedPerSecond frame results per second, from the first frame's capture to the last result
   * @param latency capture → result, ms
   * @param frames frames fed
   * @param results frame results read (end-of-stream results not counted)
   * @param missing frames with no result
   * @param repeated frames with more than one result (and results for frames never fed)
   * @param examples a few of the missing or repeated frames
   */
  public record Load(int streams, double offeredPerSecond, double achievedPerSecond, LatencySummary latency, long frames,
      long results, long missing, long repeated, List<String> examples, Shares shares, Accuracy accuracy) {
    public Load {
      examples = List.copyOf(examples);
    }

    boolean exactlyOnce() {
      return missing == 0 && repeated == 0 && results == frames;
    }
  }

  /** Every frame offered at every load got exactly one result. */
  public boolean exactlyOnce() {
    return loads.stream().allMatch(Load::exactlyOnce);
  }

  /** What broke, for a failed {@link #exactlyOnce()}. */
  public String failure() {
    StringBuilder b = new StringBuilder("not every frame got exactly one result:");
    for (Load l : loads) {
      if (!l.exactlyOnce()) {
        b.append(String.format(Locale.ROOT, " at %d stream(s), %d frame(s) without a result and %d with more than one (of %d fed)%s;",
            l.streams(), l.missing(), l.repeated(), l.frames(), l.examples().isEmpty() ? "" : ", e.g. " + l.examples()));
      }
    }
    return b.substring(0, b.length() - 1);
  }

  public void print(PrintWriter out) {
    out.printf(Locale.ROOT, "machine: %s%n", Machine.describe());
    out.println(setup);
    out.println("shares are of the frame results (leftOut: null / FULL_RESOLUTION_REFINEMENT / REFINEMENT / SEGMENTATION);"
        + " mIoU over every frame, a skipped frame scored as all background; 'answered' leaves skipped frames out");
    out.println("| streams | offered results/s | achieved results/s | latency p50 / p95 / p99 ms | p99 within budget "
        + "| full | lower-res refine | unrefined | skipped | mIoU | mIoU answered | results / frames | missing | repeated |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Load l : loads) {
      LatencySummary t = l.latency();
      String within = budgetMs == 0 ? "no budget" : t.count() > 0 && t.p99() <= budgetMs ? "yes" : "no";
      Shares s = l.shares();
      out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.0f / %.0f / %.0f | %s | %.3f | %.3f | %.3f | %.3f | %.4f | %.4f | %d / %d | %d | %d |%n",
          l.streams(), l.offeredPerSecond(), l.achievedPerSecond(), t.p50(), t.p95(), t.p99(), within, s.full(),
          s.reducedRefinement(), s.unrefined(), s.skipped(), l.accuracy().meanIoU(), l.accuracy().meanIoUAnswered(), l.results(),
          l.frames(), l.missing(), l.repeated());
    }
    long frames = loads.stream().mapToLong(Load::frames).sum();
    out.println(exactlyOnce() ? "exactly one result per frame: yes (" + frames + " frames at " + loads.size() + " loads)"
        : "exactly one result per frame: NO - " + failure());
    out.flush();
  }
}
