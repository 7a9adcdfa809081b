package org.segstream.pipeline;

import io.micrometer.core.instrument.FunctionCounter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.segstream.avro.DeadLetterStage;
import org.segstream.segment.LeftOut;
import org.segstream.ingest.IngestRunner;
import org.segstream.kafka.ClientMetrics;
import org.segstream.kafka.Cluster;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topics;
import org.segstream.kafka.ValueFormatChoice;
import org.segstream.model.ModelSettings;
import org.segstream.model.SegmentationModel;
import org.segstream.process.ProcessorSettings;
import org.segstream.process.SegmentationService;
import org.segstream.telemetry.PipelineMetrics;
import org.segstream.telemetry.PrometheusMetrics;
import org.segstream.telemetry.StreamsHealth;
import org.segstream.view.ViewServer;
import org.segstream.view.ViewSettings;

/**
 * Ingest and process in one process ({@code segstream run}): the sources publish to {@code segstream.frames}, the
 * processor segments them into {@code segstream.masks}, and a {@link ResultMeter} follows the results. Talks to an
 * embedded broker unless a cluster is given ({@link Cluster#givenOrEmbedded}); a live view ({@link ViewServer}) can
 * serve beside it. Runs until a stop is requested or,
 * when every source ends by itself (files), until their last results are out.
 */
public final class LocalRun {
  /** The {@code component} tag of the result meter's consumer metrics (its lag on the masks topic). */
  public static final String RESULT_METER = "results";
  private final Request request;
  private final ViewSettings view;
  private final PrometheusMetrics metrics;
  private final StopSignal stop;
  private final PrintWriter out;

  /**
   * @param modelDirectory the SavedModel to serve
   * @param resultsTimeout after the files end, how long to wait without a result for their last ones
   * @param bootstrapServers the cluster, or null (with {@code kafkaConfig} null too) for an embedded broker
   * @param valueFormat how frames and results are framed on the wire
   * @param warmUp how long a synthetic stream warms the whole path up before the sources open ({@link PathWarmUp});
   *     zero for none
   */
  public record Request(List<IngestRunner.Stream> streams, Duration statsInterval, ProcessorSettings settings,
      Path modelDirectory, ModelSettings modelOptions, String applicationId, Duration resultsTimeout,
      String bootstrapServers, Path kafkaConfig, ValueFormatChoice valueFormat, Duration warmUp) {
    public Request {
      streams = List.copyOf(streams);
      if (warmUp.isNegative()) {
        throw new IllegalArgumentException("the warm-up cannot be negative, got " + warmUp);
      }
    }
  }

  /** How long the warm-up stream may take to come back beyond its own length before the run goes on without it. */
  private static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(30);

  private LocalRun(Request request, ViewSettings view, PrometheusMetrics metrics, StopSignal stop, PrintWriter out) {
    this.request = request;
    this.view = view;
    this.metrics = metrics;
    this.stop = stop;
    this.out = out;
  }

  /**
   * Runs the pipeline; returns each source's outcome.
   *
   * @param metrics the registry to record into, or null without metrics
   * @param health told when the model is loaded and how Kafka Streams fares
   * @throws IllegalStateException when the processor stopped on a failure
   */
  public static List<IngestRunner.Outcome> run(Request request, PrometheusMetrics metrics, StreamsHealth health,
      StopSignal stop, PrintWriter out) throws InterruptedException {
    return run(request, null, metrics, health, stop, out);
  }

  /**
   * Runs the pipeline with the live view ({@link ViewServer}) beside it, reading the topics from before the sources'
   * first frame (after the warm-up, whose stream it does not show); returns each source's outcome.
   *
   * @param view where the view serves, or null for none
   */
  public static List<IngestRunner.Outcome> run(Request request, ViewSettings view, PrometheusMetrics metrics,
      StreamsHealth health, StopSignal stop, PrintWriter out) throws InterruptedException {
    try (SegmentationModel model = SegmentationModel.load(request.modelDirectory(), request.modelOptions());
        Cluster cluster = Cluster.givenOrEmbedded(request.bootstrapServers(), request.kafkaConfig(), request.valueFormat())) {
      health.modelLoaded();
      if (metrics != null) {
        metrics.registerStreamsState(health::state);
        metrics.registerDeadLetterStages(Arrays.stream(DeadLetterStage.values()).map(Enum::name).toList());
        metrics.registerLeftOutParts(Arrays.stream(LeftOut.Part.values()).map(Enum::name).toList());
      }
      try (Admin admin = Admin.create(cluster.settings().adminProperties())) {
        Topics.ensureCreated(admin);
      }
      return new LocalRun(request, view, metrics, stop, out).run(cluster, model, health);
    }
  }

  private List<IngestRunner.Outcome> run(Cluster cluster, SegmentationModel model, StreamsHealth health)
      throws InterruptedException {
    KafkaSettings kafka = cluster.settings();
    Set<String> ids = new HashSet<>();
    request.streams().forEach(s -> ids.add(s.options().streamId()));
    MetricsAfterWarmUp processMetrics = new MetricsAfterWarmUp(metrics == null ? PipelineMetrics.NONE : metrics);
    PipelineMetrics ingestMetrics = metrics == null ? PipelineMetrics.NONE : metrics.labelled("ingest");
    try (PathWarmUp warmUp = request.warmUp().isZero() ? null : PathWarmUp.prepare(request.warmUp());
        SegmentationService service = SegmentationService.start(kafka.common(), request.applicationId(), request.settings(),
            model, Duration.ofSeconds(120), processMetrics, health)) {
      if (warmUp != null) {
        warmUp.run(kafka, WARM_UP_TIMEOUT, stop, service::isFailed);
      }
      processMetrics.open();
      if (service.isFailed()) {
        throw new IllegalStateException("the processor stopped: " + service.failure(), service.failure());
      }
      if (stop.stopRequested()) {
        return List.of(); // Ctrl-C during the warm-up: no source was opened
      }
      try (ViewServer viewer = view == null ? null : ViewServer.start(kafka, view)) {
        if (viewer != null) {
          out.printf(Locale.ROOT, "live view at %s/%n", viewer.baseUri());
          out.flush();
        }
        return runSources(cluster, model, service, ids, ingestMetrics);
      }
    }
  }

  private List<IngestRunner.Outcome> runSources(Cluster cluster, SegmentationModel model, SegmentationService service,
      Set<String> ids, PipelineMetrics ingestMetrics) throws InterruptedException {
    KafkaSettings kafka = cluster.settings();
    try (ResultMeter results = new ResultMeter(kafka, ids, request.statsInterval(),
            metrics == null ? ClientMetrics.NONE : metrics.labelled(RESULT_METER).kafkaClients());
        IngestRunner runner = new IngestRunner(kafka, request.streams(), request.statsInterval(),
            IngestMetrics.listener(ingestMetrics, request.streams()), ingestMetrics.kafkaClients())) {
      if (metrics != null) {
        FunctionCounter.builder("segstream.run.corrupt.results", results, ResultMeter::corrupt)
            .description("Records on segstream.masks that run's result meter skipped: not a SegmentationResult")
            .register(metrics.registry());
      }
      out.printf(Locale.ROOT, "running %d source(s) through %s %s%s; results on %s; Ctrl-C stops%n", request.streams().size(),
          model.metadata().name(), model.metadata().version(),
          cluster.isEmbedded() ? " on an embedded broker at " + kafka.bootstrapServers() : "", Topics.MASKS.name());
      out.flush();
      List<IngestRunner.Outcome> outcomes = awaitEnd(service, results, runner);
      if (service.isFailed()) {
        throw new IllegalStateException("the processor stopped: " + service.failure(), service.failure());
      }
      out.printf(Locale.ROOT, "%d results published to %s%n", results.count(), Topics.MASKS.name());
      return outcomes;
    }
  }

  /** Until a stop request, or every source ended and its last result is out (or the processor failed). */
  private List<IngestRunner.Outcome> awaitEnd(SegmentationService service, ResultMeter results, IngestRunner runner)
      throws InterruptedException {
    stop.awaitStop(() -> runner.finished() || service.isFailed());
    boolean stopped = stop.stopRequested();
    runner.stop();
    List<IngestRunner.Outcome> outcomes = runner.awaitAll();
    if (!stopped && !service.isFailed()) {
      // every source ended by itself (files): wait for their last results before shutting the processor down;
      // a source that failed or gave up published no end of stream
      Set<String> ended = new HashSet<>();
      outcomes.stream().filter(o -> !o.failed()).forEach(o -> ended.add(o.streamId()));
      stop.awaitStop(() -> results.allEnded(ended) || service.isFailed()
          || results.idleFor().compareTo(request.resultsTimeout()) > 0);
    }
    return outcomes;
  }
}
