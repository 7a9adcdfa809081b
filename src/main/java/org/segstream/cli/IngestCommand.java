package org.segstream.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.segstream.ingest.FrameSource;
import org.segstream.ingest.IngestOptions;
import org.segstream.ingest.IngestSummary;
import org.segstream.ingest.Ingestor;
import org.segstream.ingest.Pacing;
import org.segstream.telemetry.Health;
import org.segstream.telemetry.PipelineMetrics;
import org.segstream.telemetry.PrometheusMetrics;
import org.segstream.telemetry.TelemetryServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segstream ingest}: publishes a video file's frames to {@code segstream.frames}. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Decode a video file and publish its frames as JPEG VideoFrame records (key = stream id) to segstream.frames,",
      "then an end-of-stream record. Prints a summary line."
    })
final class IngestCommand implements Callable<Integer> {

  @Option(names = "--input", required = true, paramLabel = "FILE", description = "The video file to ingest.")
  String input;

  @Option(names = "--stream-id", required = true, paramLabel = "ID", description = "Stream id: the record key.")
  String streamId;

  @Option(
      names = "--rate",
      paramLabel = "native|max|N",
      description = "Pacing: native (real time from the timestamps, the default for files), max, or N frames/s.")
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
      defaultValue = "" + IngestOptions.DEFAULT_JPEG_QUALITY,
      description = "JPEG quality 1..100 (default ${DEFAULT-VALUE}).")
  int jpegQuality;

  @Mixin KafkaOptions kafka;
  @Mixin MetricsOptions metricsOptions;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    FrameSource source = FrameSource.of(input);
    IngestOptions options = IngestOptions.of(streamId)
        .withPacing(rate == null ? null : Pacing.parse(rate))
        .withMaxSize(maxSize)
        .withJpegQuality(jpegQuality);
    Ingestor ingestor = new Ingestor(kafka.settings());
    // Ctrl-C ends the stream properly: stop after the current frame, publish end of stream, flush
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      ingestor.stop();
      try {
        done.await(15, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "segstream-ingest-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try (PrometheusMetrics metrics = metricsOptions.enabled() ? new PrometheusMetrics("ingest") : null;
        TelemetryServer telemetry =
            metricsOptions.start(metrics, Health.always("ingesting " + streamId), spec.commandLine().getOut())) {
      PipelineMetrics recorder = metrics == null ? PipelineMetrics.NONE : metrics;
      IngestSummary summary = ingestor.ingest(source, options, frame -> recorder.framePublished(frame.streamId()));
      spec.commandLine().getOut().println(summary.line());
      return ExitCodes.OK;
    } finally {
      done.countDown();
      removeHook(hook);
    }
  }

  static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down already: the hook is running and ends on its own
    }
  }
}
