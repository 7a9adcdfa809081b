package org.segstream.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.segstream.model.Machine;

/**
 * What {@link ChaosBenchmark} counted: frames in, results out, lost, duplicated, dead letters, and how long the
 * pipeline took to answer again after each disruption.
 *
 * @param setup the run's header line: the model, batching and refinement
 * @param restartSeconds per processor kill, from the restart to the first new result
 * @param brokerDownSeconds how long the broker's restart took
 * @param brokerNextResultSeconds from the broker's stop to the next new result
 * @param examples a few frames that were lost or answered more than once, as {@code stream#sequence xN}
 */
public record ChaosResult(ChaosBenchmark.Request request, String setup, long fed, int results, int lost, int duplicated,
    List<String> examples, int deadLetters, List<Double> restartSeconds, double brokerDownSeconds,
    double brokerNextResultSeconds) {

  public ChaosResult {
    examples = List.copyOf(examples);
    restartSeconds = List.copyOf(restartSeconds);
  }

  /** Every frame fed and answered exactly once. */
  public boolean exactlyOnce() {
    return fed == request.frames() && lost == 0 && duplicated == 0;
  }

  /** What broke, for a failed {@link #exactlyOnce()}. */
  public String failure() {
    return "exactly-once broke under chaos: " + lost + " frame(s) lost, " + duplicated + " answered more than once (of "
        + fed + " fed)" + (examples.isEmpty() ? "" : ", e.g. " + examples);
  }

  public void print(PrintWriter out) {
    out.printf(Locale.ROOT, "chaos: %d frames of %d streams (%dx%d JPEG) at %.0f frames/s, %d processor kills, 1 broker restart, seed %d%n",
        request.frames(), request.streams(), ChaosFeeder.FRAME_WIDTH, ChaosFeeder.FRAME_HEIGHT, request.rate(), request.kills(),
        request.seed());
    out.println(setup);
    out.printf("frames in: %d%n", fed);
    out.printf("results out: %d%n", results);
    out.printf("lost: %d%n", lost);
    out.printf("duplicated: %d%n", duplicated);
    out.printf("dead letters: %d%n", deadLetters);
    if (restartSeconds.isEmpty()) {
      out.println("restart to first result: (no kills)");
    } else {
      List<Double> sorted = restartSeconds.stream().sorted().toList();
      int n = sorted.size();
      double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
      out.printf(Locale.ROOT, "restart to first result (%d restarts): min %.1f s, median %.1f s, max %.1f s%n",
          n, sorted.get(0), median, sorted.get(n - 1));
    }
    out.printf(Locale.ROOT, "broker restart: down %.1f s, next result %.1f s after it stopped%n", brokerDownSeconds,
        brokerNextResultSeconds);
    out.printf(Locale.ROOT, "machine: %s%n", Machine.describe());
    out.flush();
  }
}
