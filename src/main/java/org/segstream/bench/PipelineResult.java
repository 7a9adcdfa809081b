package org.segstream.bench;

import java.io.PrintWriter;
import java.util.Locale;
import org.segstream.eval.ReplayStatistics;
import org.segstream.metrics.LatencySummary;
import org.segstream.model.InputGeometry;
import org.segstream.model.Machine;
import org.segstream.model.ModelMetadata;

/**
 * What {@link PipelineBenchmark} measured, and its table.
 *
 * @param setup the model, the processor's batching and refinement, the input and its copies
 * @param modelAlone the model alone on the input's frames at the batch size
 * @param processFps process alone on the topic filled beforehand, from its first result on, after one copy of the
 *     input through an application of its own warmed the JVM up
 * @param process the processor's results' statistics (batch sizes, stage times)
 * @param ingest the ingest cost per frame while the topic was filled
 * @param latency capture → result at the native rate, or null when skipped
 * @param viewer the live rounds without and with a viewer, or null when not asked for
 */
public record PipelineResult(Setup setup, ModelAlone modelAlone, double processFps, ReplayStatistics process, IngestCost ingest,
    NativeRateLatency latency, ViewerRounds viewer) {

  /** What ran: printed above the table. */
  public record Setup(ModelMetadata model, int batchSize, long batchMaxDelayMs, String refine, String input, int framesPerCopy,
      int copies) {}

  /**
   * The copies ingested live (in parallel, at the maximum rate) through the warm processor, frames/s from the first
   * result: without a viewer, then with the live view and one MJPEG viewer on the first copy.
   *
   * @param viewerFrames frames the viewer received
   */
  public record ViewerRounds(double withoutViewer, double withViewer, long viewerFrames) {}

  /**
   * The model alone, frames/s: with the processor's intra-op threads and, when they differ, with the default's
   * (which may be faster alone: the processor leaves cores to the refinement). The ratio takes the faster.
   */
  public record ModelAlone(int processorThreads, double processorFps, int defaultThreads, double defaultFps) {
    double best() {
      return Math.max(processorFps, defaultFps);
    }
  }

  /** Milliseconds per frame by ingest stage, and ingest alone in frames/s. */
  public record IngestCost(double decodeMs, double encodeMs, double publishMs, double framesPerSecond) {}

  public void print(PrintWriter out) {
    ModelMetadata m = setup.model();
    out.printf(Locale.ROOT, "machine: %s%n", Machine.describe());
    out.printf(Locale.ROOT, "model %s %s at %s, batch %d / %d ms, refine %s; input %s (%d frames) x %d streams%n",
        m.name(), m.version(), InputGeometry.of(m).describe(), setup.batchSize(), setup.batchMaxDelayMs(), setup.refine(),
        setup.input(), setup.framesPerCopy(), setup.copies());
    out.println("| measure | value |");
    out.println("|---|---|");
    out.printf(Locale.ROOT, "| model alone, frames/s (batch %d, %d intra-op threads as in the processor) | %.1f |%n",
        setup.batchSize(), modelAlone.processorThreads(), modelAlone.processorFps());
    if (modelAlone.defaultThreads() != modelAlone.processorThreads()) {
      out.printf(Locale.ROOT, "| model alone, frames/s (batch %d, %d intra-op threads) | %.1f |%n",
          setup.batchSize(), modelAlone.defaultThreads(), modelAlone.defaultFps());
    }
    out.printf(Locale.ROOT, "| process alone, frames/s (topic filled beforehand; the path warmed up first) | %.1f |%n", processFps);
    out.printf(Locale.ROOT, "| process / model (the faster model alone) | %.2f |%n", processFps / modelAlone.best());
    out.printf(Locale.ROOT, "| process mean batch size | %.2f |%n", process.meanBatchSize());
    StringBuilder stages = new StringBuilder();
    process.meanStageMs().forEach((k, v) -> stages.append(String.format(Locale.ROOT, "%s %.2f, ", k, v)));
    out.printf(Locale.ROOT, "| process ms per frame by stage (inference = whole batch) | %s |%n",
        stages.substring(0, stages.length() - 2));
    out.printf(Locale.ROOT, "| ingest ms per frame: decode / resize+JPEG / publish | %.2f / %.2f / %.2f |%n", ingest.decodeMs(),
        ingest.encodeMs(), ingest.publishMs());
    out.printf(Locale.ROOT, "| ingest alone, frames/s at --rate max | %.1f |%n", ingest.framesPerSecond());
    if (latency != null) {
      LatencySummary first = latency.firstPlay();
      LatencySummary again = latency.playedAgain();
      out.printf(Locale.ROOT, "| latency capture → result at native rate, p50 / p95 / p99 / max ms | %.0f / %.0f / %.0f / %.0f |%n",
          first.p50(), first.p95(), first.p99(), first.max());
      out.printf(Locale.ROOT, "| the same, played again through the same processor | %.0f / %.0f / %.0f / %.0f |%n",
          again.p50(), again.p95(), again.p99(), again.max());
    }
    if (viewer != null) {
      out.printf(Locale.ROOT, "| process with ingest running (%d streams at max rate), frames/s: no viewer / one MJPEG viewer "
          + "(%d frames shown) | %.1f / %.1f |%n", setup.copies(), viewer.viewerFrames(), viewer.withoutViewer(), viewer.withViewer());
      out.printf(Locale.ROOT, "| with a viewer / without | %.3f |%n", viewer.withViewer() / viewer.withoutViewer());
    }
    out.flush();
  }
}
