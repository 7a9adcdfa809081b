package org.segstream.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.segstream.kafka.ClientMetrics;

/**
 * {@link PipelineMetrics} into a Micrometer Prometheus registry, plus the JVM (heap, GC, threads),
 * the process's CPU and resident memory. Names as Prometheus shows them:
 *
 * <ul>
 *   <li>{@code segstream_frames_in_total{component,stream}}, {@code segstream_frames_out_total{component,stream}},
 *       {@code segstream_frames_dropped_total{component,stream,reason}},
 *       {@code segstream_dead_letters_total{stage}} (by the stage that failed only: a dead letter's key is
 *       untrusted bytes), {@code segstream_reconnects_total{stream}},
 *       {@code segstream_production_errors_total{topic,error}}; the dead-letter rate is
 *       {@code rate(segstream_dead_letters_total[5m])}
 *   <li>{@code segstream_process_batch_size} (histogram of frames per model call)
 *   <li>{@code segstream_process_stage_seconds{stage=queue_wait|decode|inference|refine|encode}} (histogram)
 *   <li>{@code segstream_process_capture_to_result_seconds} (histogram)
 *   <li>{@code segstream_streams_state{state}}: 1 for the current Kafka Streams state, 0 for the others
 *   <li>{@code process_resident_memory_bytes}, {@code jvm_memory_used_bytes{area="heap"}}...
 *   <li>Kafka's own client metrics, tagged {@code component} ({@link #kafkaClients()}, {@link KafkaClientMeters}):
 *       {@code kafka_consumer_fetch_manager_records_lag_max}, {@code kafka_stream_thread_commit_latency_avg},
 *       {@code kafka_producer_record_error_total}...
 * </ul>
 *
 * <p>The {@code stream} label holds at most {@code maxStreams} distinct values, then {@code other}
 * ({@link StreamLabels}): stream ids come from record data.
 */
public final class PrometheusMetrics implements PipelineMetrics, AutoCloseable {
  /** Stage and latency histogram buckets: 0.5 ms to 10 s. */
  private static final Duration[] TIME_BUCKETS = {
    Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
    Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(500),
    Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)
  };

  /**
   * Capture-to-result buckets: every 25 ms up to 300 ms, where a live camera's budget lies (a p99 of
   * 150 ms must be told from 199 ms), then coarser up to 10 s.
   */
  static final Duration[] LATENCY_BUCKETS = latencyBuckets();

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final StreamLabels streamLabels;
  private final Recorder own;
  private final DistributionSummary batchSize;
  private final Timer queueWait;
  private final Timer decode;
  private final Timer inference;
  private final Timer refine;
  private final Timer encode;
  private final Timer captureToResult;

  /**
   * With the default cap of {@value StreamLabels#DEFAULT_MAX_STREAMS} stream labels.
   *
   * @param component {@code ingest} or {@code process}: the {@code component} label of frame counters
   */
  public PrometheusMetrics(String component) {
    this(component, StreamLabels.DEFAULT_MAX_STREAMS);
  }

  /**
   * @param component {@code ingest} or {@code process}: the {@code component} label of frame counters
   * @param maxStreams how many distinct {@code stream} label values at most; later streams count as {@code other}
   */
  public PrometheusMetrics(String component, int maxStreams) {
    this.streamLabels = new StreamLabels(maxStreams);
    this.own = new Recorder(component);
    registry.config().meterFilter(KafkaClientMeters.DEPRECATED_TOPIC_COPIES);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Gauge.builder("process.resident.memory", () -> ResidentMemory.bytes().orElse(-1))
        .baseUnit("bytes")
        .description("Resident set size (VmRSS): heap plus the native memory of TensorFlow, FFmpeg and OpenCV")
        .register(registry);
    batchSize =
        DistributionSummary.builder("segstream.process.batch.size")
            .description("Frames per model call")
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
            .register(registry);
    queueWait = stage("queue_wait");
    decode = stage("decode");
    inference = stage("inference");
    refine = stage("refine");
    encode = stage("encode");
    captureToResult =
        Timer.builder("segstream.process.capture.to.result")
            .description("Frame capture wall time to result wall time (visible to read_committed readers at the next commit)")
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry);
  }

  private static Duration[] latencyBuckets() {
    List<Duration> buckets = new ArrayList<>();
    for (int ms = 25; ms <= 300; ms += 25) {
      buckets.add(Duration.ofMillis(ms));
    }
    for (int ms : new int[] {400, 500, 750, 1000, 2000, 5000, 10_000}) {
      buckets.add(Duration.ofMillis(ms));
    }
    return buckets.toArray(Duration[]::new);
  }

  private Timer stage(String name) {
    return Timer.builder("segstream.process.stage")
        .description("Time per frame in a processing stage; inference is the whole batch's model call")
        .tag("stage", name)
        .serviceLevelObjectives(TIME_BUCKETS)
        .register(registry);
  }

  /** Publishes the Kafka Streams state as {@code segstream_streams_state{state}} (one of them 1). */
  public void registerStreamsState(Supplier<KafkaStreams.State> state) {
    for (KafkaStreams.State s : KafkaStreams.State.values()) {
      Gauge.builder("segstream.streams.state", () -> state.get() == s ? 1 : 0)
          .description("1 for the current Kafka Streams state of this instance")
          .tag("state", s.name())
          .register(registry);
    }
  }

  /**
   * Registers {@code segstream_dead_letters_total{stage}} at 0 for each stage, so the dead-letter
   * rate is 0 (not absent) before the first dead letter.
   */
  public void registerDeadLetterStages(Iterable<String> stages) {
    stages.forEach(this::deadLetterCounter);
  }

  private Counter deadLetterCounter(String stage) {
    return Counter.builder("segstream.dead.letters")
        .description("Records sent to the dead-letter topic, by the stage that failed")
        .tag("stage", StreamLabels.sanitize(stage))
        .register(registry);
  }

  /** The Prometheus text exposition (format 0.0.4) of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /** The registry itself, for meters a command adds. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * The same registry with the frame counters labelled {@code otherComponent}: {@code run} records
   * its ingest side as {@code ingest} and its processor as {@code process}, so neither counts twice.
   */
  public PipelineMetrics labelled(String otherComponent) {
    return new Recorder(otherComponent);
  }

  @Override
  public void framePublished(String streamId) {
    own.framePublished(streamId);
  }

  @Override
  public void frameDropped(String streamId, String reason) {
    own.frameDropped(streamId, reason);
  }

  @Override
  public void reconnected(String streamId) {
    own.reconnected(streamId);
  }

  @Override
  public void frameIn(String streamId) {
    own.frameIn(streamId);
  }

  @Override
  public void frameOut(String streamId, long captureToResultMs) {
    own.frameOut(streamId, captureToResultMs);
  }

  @Override
  public void deadLettered(String stage) {
    own.deadLettered(stage);
  }

  @Override
  public void productionError(String topic, String errorClass) {
    own.productionError(topic, errorClass);
  }

  @Override
  public void batch(int frames) {
    own.batch(frames);
  }

  @Override
  public ClientMetrics kafkaClients() {
    return own.kafkaClients();
  }

  @Override
  public void stageTimes(float queueWaitMs, float decodeMs, float inferenceMs, float refineMs, float encodeMs) {
    own.stageTimes(queueWaitMs, decodeMs, inferenceMs, refineMs, encodeMs);
  }

  @Override
  public void leftOut(String part) {
    own.leftOut(part);
  }

  @Override
  public void temporal(String outcome) {
    own.temporal(outcome);
  }

  /**
   * Registers {@code segstream_frames_left_out_total{part}} at 0 for each part, so the shares are 0
   * (not absent) before the first frame that misses its budget.
   */
  public void registerLeftOutParts(Iterable<String> parts) {
    parts.forEach(this::leftOutCounter);
  }

  private Counter leftOutCounter(String part) {
    return Counter.builder("segstream.frames.left.out")
        .description("Results that left a part out to keep the latency budget: FULL_RESOLUTION_REFINEMENT (refined at "
            + "a lower resolution), REFINEMENT (not refined), SEGMENTATION (skipped)")
        .tag("part", StreamLabels.sanitize(part))
        .register(registry);
  }

  private static void record(Timer timer, float ms) {
    timer.record(Math.max(0, Math.round(ms * 1e6)), TimeUnit.NANOSECONDS);
  }

  /** Records into this registry, frame counters labelled with one component; every other meter shared. */
  private final class Recorder implements PipelineMetrics {
    private final String component;

    Recorder(String component) {
      this.component = component;
    }

    @Override
    public void framePublished(String streamId) {
      counter("segstream.frames.out", streamId).increment();
    }

    @Override
    public void frameDropped(String streamId, String reason) {
      Counter.builder("segstream.frames.dropped")
          .description("Frames dropped before they were published or segmented")
          .tag("component", component)
          .tag("stream", streamLabels.label(streamId))
          .tag("reason", StreamLabels.sanitize(reason))
          .register(registry)
          .increment();
    }

    @Override
    public void reconnected(String streamId) {
      Counter.builder("segstream.reconnects").description("Live sources reopened after a lost connection")
          .tag("stream", streamLabels.label(streamId)).register(registry).increment();
    }

    @Override
    public void frameIn(String streamId) {
      counter("segstream.frames.in", streamId).increment();
    }

    @Override
    public void frameOut(String streamId, long captureToResultMs) {
      counter("segstream.frames.out", streamId).increment();
      captureToResult.record(Math.max(0, captureToResultMs), TimeUnit.MILLISECONDS);
    }

    @Override
    public void deadLettered(String stage) {
      deadLetterCounter(stage).increment();
    }

    @Override
    public void leftOut(String part) {
      leftOutCounter(part).increment();
    }

    @Override
    public void temporal(String outcome) {
      Counter.builder("segstream.frames.temporal")
          .description("Frames by what the temporal step did: blended (kept some of the stream's previous frame), "
              + "fresh (the stream starts here) or scene_cut")
          .tag("outcome", StreamLabels.sanitize(outcome))
          .register(registry)
          .increment();
    }

    @Override
    public void productionError(String topic, String errorClass) {
      Counter.builder("segstream.production.errors")
          .description("Records that could not be serialised or sent and were skipped (should stay 0)")
          .tag("topic", topic)
          .tag("error", errorClass)
          .register(registry)
          .increment();
    }

    @Override
    public void batch(int frames) {
      batchSize.record(frames);
    }

    @Override
    public ClientMetrics kafkaClients() {
      return new KafkaClientMeters(registry, component);
    }

    @Override
    public void stageTimes(float queueWaitMs, float decodeMs, float inferenceMs, float refineMs, float encodeMs) {
      record(queueWait, queueWaitMs);
      record(decode, decodeMs);
      record(inference, inferenceMs);
      record(refine, refineMs);
      record(encode, encodeMs);
    }

    private Counter counter(String name, String streamId) {
      return Counter.builder(name)
          .description(name.endsWith(".in") ? "Frames read by this component" : "Frames this component passed on")
          .tag("component", component)
          .tag("stream", streamLabels.label(streamId))
          .register(registry);
    }
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
