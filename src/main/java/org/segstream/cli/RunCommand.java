package org.segstream.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.segstream.avro.DeadLetterStage;
import org.segstream.avro.SegmentationResult;
import org.segstream.ingest.IngestOptions;
import org.segstream.ingest.IngestRunner;
import org.segstream.ingest.Pacing;
import org.segstream.kafka.AvroSerdes;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

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

  /** Counts the results of our streams on their way out, for the log line, and sees their end of stream. */
  private static final class ResultMeter implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final Set<String> streamIds;
    private final Set<String> ended = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicLong count = new AtomicLong();
    private volatile long lastResultNanos = System.nanoTime();
    private volatile double lastLatencyMs;

    ResultMeter(KafkaSettings settings, Set<String> streamIds, Duration interval) {
      this.streamIds = Set.copyOf(streamIds);
      Properties props = settings.consumerProperties("segstream-run-meter-" + UUID.randomUUID(), true);
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(Topics.MASKS.name(), Duration.ofSeconds(30))
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(tp -> consumer.position(tp, Duration.ofSeconds(30)));
      thread = new Thread(() -> poll(interval), "segstream-run-results");
      thread.start();
    }

    private void poll(Duration interval) {
      long nextLine = System.nanoTime() + interval.toNanos();
      long countAtLine = 0;
      try {
        while (true) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            SegmentationResult r = AvroSerdes.results().deserializer().deserialize(record.topic(), record.value());
            if (r == null || !streamIds.contains(r.getStreamId())) {
              continue;
            }
            if (r.getEndOfStream()) {
              ended.add(r.getStreamId());
            } else {
              count.incrementAndGet();
              lastLatencyMs = r.getResultWallTimeMs() - r.getCaptureWallTimeMs();
            }
            lastResultNanos = System.nanoTime();
          }
          if (!interval.isZero() && System.nanoTime() >= nextLine) {
            long n = count.get();
            log.info(String.format(Locale.ROOT, "results: %d (%.1f/s), latest capture -> result %.0f ms", n,
                (n - countAtLine) / (interval.toNanos() / 1e9), lastLatencyMs));
            countAtLine = n;
            nextLine += interval.toNanos();
          }
        }
      } catch (WakeupException e) {
        // closing
      }
    }

    boolean allEnded(Set<String> ids) {
      return ended.containsAll(ids);
    }

    Duration idleFor() {
      return Duration.ofNanos(System.nanoTime() - lastResultNanos);
    }

    long count() {
      return count.get();
    }

    @Override
    public void close() {
      consumer.wakeup();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        consumer.close(Duration.ofSeconds(5));
      }
    }
  }
}
