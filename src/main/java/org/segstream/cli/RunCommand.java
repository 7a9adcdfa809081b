package org.segstream.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.segstream.config.InvalidSettingException;
import org.segstream.ingest.IngestSettings;
import org.segstream.ingest.IngestRunner;
import org.segstream.ingest.LiveSettings;
import org.segstream.ingest.Pacing;
import org.segstream.kafka.Cluster;
import org.segstream.model.BundledModels;
import org.segstream.pipeline.LocalRun;
import org.segstream.process.ProcessorSettings;
import org.segstream.process.SegmentationService;
import org.segstream.telemetry.PrometheusMetrics;
import org.segstream.telemetry.StreamsHealth;
import org.segstream.telemetry.TelemetryServer;
import org.segstream.view.ViewSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segstream run}: ingest and process in one process, for a camera or a feed. Starts an embedded
 * broker unless {@code --bootstrap-servers}/{@code --kafka-config}; runs until Ctrl-C (live sources) or
 * until every file's results are out.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Ingest and segment live sources in one process.",
      "Ingest and segment in one process: sources (--input: a camera, an RTSP/HTTP feed or a file) -> segstream.frames",
      "-> the processor -> segstream.masks. Uses an embedded Kafka broker unless --bootstrap-servers is given.",
      "Runs until Ctrl-C; with only files, until their last results are out."
    })
final class RunCommand implements Callable<Integer> {
  @Mixin LiveSourceOptions sources;
  @Mixin KafkaOptions kafka;
  @Mixin ValueFormatOptions valueFormat;
  @Mixin ModelSelection modelSelection;
  @Mixin ProcessorOptions processorOptions;
  @Mixin MetricsOptions metricsOptions;
  @Mixin GuaranteeOption guarantee;
  @Mixin ViewOptions view;

  @Option(names = "--rate", paramLabel = "native|max|N", description = "Pacing of files: native (default), max, or N frames/s. Live sources run at their own pace.")
  String rate;

  @Option(names = "--max-size", paramLabel = "N", defaultValue = "0", description = "Shrink frames whose long side exceeds N pixels (default ${DEFAULT-VALUE}: keep).")
  int maxSize;

  @Option(names = "--jpeg-quality", paramLabel = "Q", defaultValue = "" + IngestSettings.DEFAULT_JPEG_QUALITY, description = "JPEG quality 1..100 (default ${DEFAULT-VALUE}).")
  int jpegQuality;

  @Option(names = "--application-id", defaultValue = SegmentationService.DEFAULT_APPLICATION_ID, description = "Kafka Streams application id (default ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(names = "--results-timeout-s", defaultValue = "120", description = "After the files end, wait this long for their last results (default ${DEFAULT-VALUE}).")
  long resultsTimeoutSeconds;

  @Option(names = "--warm-up", paramLabel = "DURATION", description = {
      "Before the sources open, send this much of a synthetic clip (30 frames/s) through the whole path as stream",
      "warm-up-<id>, so a camera's first frames keep the latency budget (default: 5s with live sources only, else",
      "0 = none)."})
  String warmUp;

  /** A camera's first second otherwise misses the budget; five seconds of frames warm every part (BENCHMARKS.md). */
  static final Duration LIVE_WARM_UP = Duration.ofSeconds(5);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  List<IngestRunner.Stream> streams() {
    IngestSettings template = new IngestSettings("template", rate == null ? null : Pacing.parse(rate), maxSize, jpegQuality, 0);
    return sources.streams(template, "live");
  }

  /**
   * A camera's frames are worth little late: with live sources only, a budget unless one was set. Files keep none (a
   * file at --rate max is all past any budget).
   */
  ProcessorSettings budgeted(List<IngestRunner.Stream> streams) {
    ProcessorSettings settings = processorOptions.toSettings(metricsOptions);
    boolean allLive = streams.stream().allMatch(s -> s.source().live());
    return allLive ? ProcessorOptions.withLiveBudgetUnlessGiven(settings, spec) : settings;
  }

  /** The warm-up given, else {@link #LIVE_WARM_UP} when every source is live (files are not held to a budget). */
  Duration warmUp(List<IngestRunner.Stream> streams) {
    if (warmUp != null) {
      Duration given = LiveSettings.parseDuration("warm-up", warmUp);
      if (given.isNegative()) {
        throw new InvalidSettingException("warm-up",
            "duration '" + warmUp + "' is negative: give 0 for no warm-up, or one such as 5s");
      }
      return given;
    }
    boolean allLive = streams.stream().allMatch(s -> s.source().live());
    return allLive ? LIVE_WARM_UP : Duration.ZERO;
  }

  @Override
  public Integer call() throws Exception {
    List<IngestRunner.Stream> streams = streams();
    ProcessorSettings settings = budgeted(streams);
    LocalRun.Request request = new LocalRun.Request(streams, sources.statsInterval(), settings,
        modelSelection.directory(BundledModels.LIVE), modelSelection.options(settings), applicationId,
        Duration.ofSeconds(resultsTimeoutSeconds), kafka.bootstrapServers, kafka.kafkaConfig, valueFormat.choice(),
        warmUp(streams));
    if (!Cluster.isEmbedded(kafka.bootstrapServers, kafka.kafkaConfig)) {
      guarantee.check(kafka.settings(), kafka.kafkaConfig, spec.commandLine().getErr());
    }
    PrintWriter out = spec.commandLine().getOut();
    ViewSettings viewSettings = view.settingsIfEnabled(metricsOptions.maxStreams);
    // the shutdown signal is the outermost resource: Ctrl-C waits until everything inside has closed
    StreamsHealth health = new StreamsHealth();
    try (ShutdownSignal shutdown = new ShutdownSignal("segstream-run");
        PrometheusMetrics metrics = metricsOptions.create("process");
        TelemetryServer telemetry = metricsOptions.start(metrics, health, out)) {
      List<IngestRunner.Outcome> outcomes = LocalRun.run(request, viewSettings, metrics, health, shutdown, out);
      return IngestCommand.exitCode(outcomes, out);
    }
  }
}
