package org.segstream.cli;

import io.micrometer.core.instrument.FunctionCounter;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.segstream.avro.DeadLetterStage;
import org.segstream.ingest.IngestOptions;
import org.segstream.ingest.IngestRunner;
import org.segstream.ingest.Pacing;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topics;
import org.segstream.model.BundledModels;
import org.segstream.model.SegmentationModel;
import org.segstream.process.ProcessorSettings;
import org.segstream.process.SegmentationService;
import org.segstream.telemetry.PipelineMetrics;
import org.segstream.telemetry.PrometheusMetrics;
import org.segstream.telemetry.StreamsHealth;
import org.segstream.telemetry.TelemetryServer;
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
      "Ingest and segment in one process: sources (--input: a camera, an RTSP/HTTP feed or a file) -> segstream.frames",
      "-> the processor -> segstream.masks. Uses an embedded Kafka broker unless --bootstrap-servers is given.",
      "Runs until Ctrl-C; with only files, until their last results are out."
    })
final class RunCommand implements Callable<Integer> {
  @Mixin LiveSourceOptions sources;
  @Mixin KafkaOptions kafka;
  @Mixin ModelSelection modelSelection;
  @Mixin ProcessorOptions processorOptions;
  @Mixin MetricsOptions metricsOptions;
  @Mixin GuaranteeOption guarantee;

  @Option(names = "--rate", paramLabel = "native|max|N", description = "Pacing of files: native (default), max, or N frames/s. Live sources run at their own pace.")
  String rate;

  @Option(names = "--max-size", paramLabel = "N", defaultValue = "0", description = "Shrink frames whose long side exceeds N pixels (default ${DEFAULT-VALUE}: keep).")
  int maxSize;

  @Option(names = "--jpeg-quality", paramLabel = "Q", defaultValue = "" + IngestOptions.DEFAULT_JPEG_QUALITY, description = "JPEG quality 1..100 (default ${DEFAULT-VALUE}).")
  int jpegQuality;

  @Option(names = "--application-id", defaultValue = SegmentationService.DEFAULT_APPLICATION_ID, description = "Kafka Streams application id (default ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(names = "--results-timeout-s", defaultValue = "120", description = "After the files end, wait this long for their last results (default ${DEFAULT-VALUE}).")
  long resultsTimeoutSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ProcessorSettings settings = processorOptions.toSettings();
    IngestOptions template = new IngestOptions("template", rate == null ? null : Pacing.parse(rate), maxSize, jpegQuality, 0);
    List<IngestRunner.Stream> streams = sources.streams(template, "live");
    Duration statsInterval = sources.statsInterval();
    PrintWriter out = spec.commandLine().getOut();
    boolean embedded = kafka.bootstrapServers == null && kafka.kafkaConfig == null;
    if (!embedded) {
      guarantee.check(kafka.settings(), kafka.kafkaConfig, spec.commandLine().getErr());
    }
    // the shutdown signal is the outermost resource: Ctrl-C waits until everything inside has closed
    StreamsHealth health = new StreamsHealth();
    try (ShutdownSignal shutdown = new ShutdownSignal("segstream-run");
        PrometheusMetrics metrics = metricsOptions.create("process");
        TelemetryServer telemetry = metricsOptions.start(metrics, health, out);
        SegmentationModel model = modelSelection.open(BundledModels.LIVE);
        EmbeddedBroker broker = embedded ? EmbeddedBroker.start() : null) {
      health.modelLoaded();
      PipelineMetrics ingestMetrics = metrics == null ? PipelineMetrics.NONE : metrics.labelled("ingest");
      PipelineMetrics processMetrics = metrics == null ? PipelineMetrics.NONE : metrics;
      if (metrics != null) {
        metrics.registerStreamsState(health::state);
        metrics.registerDeadLetterStages(Arrays.stream(DeadLetterStage.values()).map(Enum::name).toList());
      }
      KafkaSettings kafkaSettings = embedded ? broker.settings() : kafka.settings();
      try (Admin admin = Admin.create(kafkaSettings.adminProperties())) {
        Topics.ensureCreated(admin);
      }
      Set<String> ids = new HashSet<>();
      streams.forEach(s -> ids.add(s.options().streamId()));
      List<IngestRunner.Outcome> outcomes;
      try (SegmentationService service = SegmentationService.start(
              kafkaSettings.common(), applicationId, settings, model, Duration.ofSeconds(120), processMetrics, health);
          ResultMeter results = new ResultMeter(kafkaSettings, ids, statsInterval);
          IngestRunner runner = new IngestRunner(kafkaSettings, streams, statsInterval,
              IngestCommand.metricsListener(ingestMetrics, streams))) {
        if (metrics != null) {
          FunctionCounter.builder("segstream.run.corrupt.results", results, ResultMeter::corrupt)
              .description("Records on segstream.masks that run's result meter skipped: not a SegmentationResult")
              .register(metrics.registry());
        }
        out.printf(Locale.ROOT, "running %d source(s) through %s %s%s; results on %s; Ctrl-C stops%n", streams.size(),
            model.metadata().name(), model.metadata().version(),
            embedded ? " on an embedded broker at " + broker.bootstrapServers() : "", Topics.MASKS.name());
        out.flush();
        shutdown.awaitStop(() -> runner.finished() || service.isFailed());
        boolean stopped = shutdown.stopRequested();
        runner.stop();
        outcomes = runner.awaitAll();
        if (!stopped && !service.isFailed()) {
          // every source ended by itself (files): wait for their last results before shutting the processor down;
          // a source that failed or gave up published no end of stream
          Set<String> ended = new HashSet<>();
          outcomes.stream().filter(o -> !o.failed()).forEach(o -> ended.add(o.streamId()));
          shutdown.awaitStop(() -> results.allEnded(ended) || service.isFailed()
              || results.idleFor().compareTo(Duration.ofSeconds(resultsTimeoutSeconds)) > 0);
        }
        if (service.isFailed()) {
          throw new IllegalStateException("the processor stopped: " + service.failure(), service.failure());
        }
        out.printf(Locale.ROOT, "%d results published to %s%n", results.count(), Topics.MASKS.name());
      }
      return IngestCommand.exitCode(outcomes, out);
    }
  }
}
