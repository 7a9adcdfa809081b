package org.segstream.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.segstream.ingest.IngestException;
import org.segstream.ingest.IngestSettings;
import org.segstream.ingest.IngestRunner;
import org.segstream.ingest.Pacing;
import org.segstream.pipeline.IngestMetrics;
import org.segstream.telemetry.Health;
import org.segstream.telemetry.PipelineMetrics;
import org.segstream.telemetry.PrometheusMetrics;
import org.segstream.telemetry.TelemetryServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segstream ingest}: publishes the frames of files, RTSP/HTTP feeds and cameras to {@code segstream.frames}. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Publish the frames of video files, feeds or cameras to Kafka.",
      "Decode video sources and publish their frames as JPEG VideoFrame records (key = stream id) to segstream.frames,",
      "then an end-of-stream record per stream. Files play to their end; live sources (RTSP, HTTP, cameras) run until",
      "Ctrl-C, reconnecting when they fail. Prints a summary line per stream; exits 1 when a source gave up."
    })
final class IngestCommand implements Callable<Integer> {

  @Mixin LiveSourceOptions sources;

  @Option(
      names = "--rate",
      paramLabel = "native|max|N",
      description = "Pacing: native (real time from the timestamps, the default for files), max (the default for live sources), or N frames/s.")
  String rate;

  @Option(
      names = "--max-size",
      paramLabel = "N",
      defaultValue = "0",
      description = "Shrink frames whose long side exceeds N pixels (default ${DEFAULT-VALUE}: keep the size).")
  int maxSize;

  @Option(
      names = "--jpeg-quality",
      paramLabel = "Q",
      defaultValue = "" + IngestSettings.DEFAULT_JPEG_QUALITY,
      description = "JPEG quality 1..100 (default ${DEFAULT-VALUE}).")
  int jpegQuality;

  @Mixin KafkaOptions kafka;
  @Mixin ValueFormatOptions valueFormat;
  @Mixin MetricsOptions metricsOptions;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    IngestSettings template = new IngestSettings("template", rate == null ? null : Pacing.parse(rate), maxSize, jpegQuality, 0);
    List<IngestRunner.Stream> streams = sources.streams(template, null);
    PrintWriter out = spec.commandLine().getOut();
    String ids = streams.stream().map(s -> s.options().streamId()).collect(Collectors.joining(", "));
    // Ctrl-C ends every stream properly: stop after the current frame, publish end of stream, wait for acks
    try (ShutdownSignal shutdown = new ShutdownSignal("segstream-ingest");
        PrometheusMetrics metrics = metricsOptions.create("ingest");
        TelemetryServer telemetry = metricsOptions.start(metrics, Health.always("ingesting " + ids), out)) {
      List<IngestRunner.Outcome> outcomes;
      PipelineMetrics recorder = metrics == null ? PipelineMetrics.NONE : metrics;
      try (IngestRunner runner = new IngestRunner(valueFormat.applyTo(kafka.settings()), streams, sources.statsInterval(),
          IngestMetrics.listener(recorder, streams), recorder.kafkaClients())) {
        shutdown.awaitStop(runner::finished);
        runner.stop();
        outcomes = runner.awaitAll();
      }
      return exitCode(outcomes, out); // printed before the signal is released, so Ctrl-C does not cut it off
    }
  }

  /** Prints each stream's summary; fails (exit 1) when a stream gave up or failed, naming them. */
  static int exitCode(List<IngestRunner.Outcome> outcomes, PrintWriter out) {
    for (IngestRunner.Outcome o : outcomes) {
      out.println(o.failed() ? "stream " + o.streamId() + " failed: " + o.failure() : o.summary().line());
    }
    out.flush();
    List<IngestRunner.Outcome> failed = outcomes.stream().filter(IngestRunner.Outcome::failed).toList();
    if (failed.isEmpty()) {
      return ExitCodes.OK;
    }
    if (outcomes.size() == 1) {
      throw new IngestException(failed.get(0).failure());
    }
    throw new IngestException(failed.size() + " of " + outcomes.size() + " sources failed: "
        + failed.stream().map(o -> o.streamId() + " (" + o.failure() + ")").collect(Collectors.joining("; ")));
  }

  /** Removes a shutdown hook unless the JVM is already running it (the tail command uses this too). */
  static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down already: the hook is running and ends on its own
    }
  }
}
