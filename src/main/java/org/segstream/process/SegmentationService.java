package org.segstream.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.segstream.kafka.ClientMetrics;
import org.segstream.kafka.RecordValues;
import org.segstream.kafka.Topics;
import org.segstream.kafka.ValueFormat;
import org.segstream.model.SegmentationModel;
import org.segstream.telemetry.PipelineMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka Streams application of {@code segstream process}: {@link #start} returns once the
 * application is RUNNING (or fails after a deadline); {@link #close} stops it and waits.
 */
public final class SegmentationService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SegmentationService.class);
  public static final String DEFAULT_APPLICATION_ID = "segstream-process";

  /** Kafka's defaults wait 45 s for a lost member; a video service wants its partitions back sooner. */
  static final int SESSION_TIMEOUT_MS = 15_000;
  static final int HEARTBEAT_INTERVAL_MS = 3_000;
  /** Also the rebalance timeout: how long one stuck instance can hold up a rebalance of the whole group. */
  static final int MAX_POLL_INTERVAL_MS = 60_000;
  /** Kafka Streams' own exactly-once default, stated: a batch must commit within it. */
  static final int TRANSACTION_TIMEOUT_MS = 10_000;
  /** The producer's first retry of a commit the broker is not ready for (Kafka's default: 100 ms). */
  static final int COMMIT_RETRY_BACKOFF_MS = 10;

  private final KafkaStreams streams;
  private final StateDirectoryLock stateDirLock;
  /** The state directory; deleted on close when {@code temporaryStateDir} (the service made it for this run). */
  private final Path stateDir;
  private final boolean temporaryStateDir;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final InferenceThread inference;
  /** The application's Kafka client metrics on /metrics (lag, commit latency, producer errors), unbound on close. */
  private final ClientMetrics.Binding clientMetrics;

  private SegmentationService(KafkaStreams streams, InferenceThread inference, StateDirectoryLock stateDirLock,
      Path stateDir, boolean temporaryStateDir, ClientMetrics.Binding clientMetrics) {
    this.streams = streams;
    this.inference = inference;
    this.clientMetrics = clientMetrics;
    this.stateDirLock = stateDirLock;
    this.stateDir = stateDir;
    this.temporaryStateDir = temporaryStateDir;
  }

  /** The Streams settings of DESIGN.md on top of the cluster's client properties. */
  public static Properties streamsProperties(Properties kafkaCommon, String applicationId, Path stateDir) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    // a wall-clock punctuator runs only between polls; results are visible only at commit
    p.put(StreamsConfig.POLL_MS_CONFIG, 5);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50);
    // a new producer's first transactions find the broker not ready (coordinator not known yet, the last commit's
    // markers still being written) and retry after retry.backoff.ms, 100 ms by default, on the stream thread, just when
    // the first frames wait (BENCHMARKS.md, "A new producer's first commits"); repeated retries still back off up to 1 s
    p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), COMMIT_RETRY_BACKOFF_MS);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    // DEPLOY.md "Restart after a crash": why these values
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_INTERVAL_MS);
    p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, MAX_POLL_INTERVAL_MS);
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), SegmentationTopology.MAX_MESSAGE_BYTES);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), SegmentationTopology.MAX_MESSAGE_BYTES);
    // a record that cannot be sent is logged and counted, not the end of the stream thread
    p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, ContinueOnRecordErrorHandler.class.getName());
    // anything the user put in --kafka-config wins over our defaults
    p.putAll(kafkaCommon);
    return p;
  }

  /** {@link #streamsProperties(Properties, String, Path)} of one stable instance: static membership. */
  public static Properties streamsProperties(Properties kafkaCommon, String applicationId, InstanceIdentity identity) {
    Properties p = streamsProperties(kafkaCommon, applicationId, identity.stateDir());
    // Kafka Streams appends "-<thread index>" per stream thread
    p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, identity.id());
    return p;
  }

  public static SegmentationService start(
      Properties kafkaCommon,
      String applicationId,
      ProcessorSettings settings,
      SegmentationModel model,
      Duration startTimeout) {
    return start(kafkaCommon, applicationId, settings, model, startTimeout, PipelineMetrics.NONE, (now, before) -> {});
  }

  /**
   * Starts the application and waits until it is RUNNING.
   *
   * @param metrics records frames, batches and stage times
   * @param stateListener sees every Streams state change from CREATED on (health endpoints, metrics)
   */
  public static SegmentationService start(
      Properties kafkaCommon,
      String applicationId,
      ProcessorSettings settings,
      SegmentationModel model,
      Duration startTimeout,
      PipelineMetrics metrics,
      KafkaStreams.StateListener stateListener) {
    Path stateDir;
    try {
      stateDir = Files.createTempDirectory("segstream-streams-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a Kafka Streams state directory in " + System.getProperty("java.io.tmpdir"), e);
    }
    InferenceThread inference = new InferenceThread();
    try {
      Properties props = streamsProperties(kafkaCommon, applicationId, stateDir);
      KafkaStreams streams = new KafkaStreams(topology(props, settings, model, metrics, inference), props);
      return run(streams, inference, null, stateDir, true, model, settings, stateListener, startTimeout, metrics);
    } catch (RuntimeException e) {
      inference.close();
      deleteTree(stateDir);
      throw e;
    }
  }

  /**
   * Starts one stable instance of the application (what {@code segstream process} runs): static
   * group membership and transactional ids from the instance id, and its own state directory,
   * locked until {@link #close}. Restarted with the same identity after a crash, it takes its
   * partitions back without waiting out the session timeout and aborts the dead instance's open
   * transaction at once.
   */
  public static SegmentationService start(
      Properties kafkaCommon,
      String applicationId,
      InstanceIdentity identity,
      ProcessorSettings settings,
      SegmentationModel model,
      Duration startTimeout,
      PipelineMetrics metrics,
      KafkaStreams.StateListener stateListener) {
    StateDirectoryLock lock = StateDirectoryLock.acquire(identity);
    InferenceThread inference = new InferenceThread();
    try {
      Properties props = streamsProperties(kafkaCommon, applicationId, identity);
      KafkaStreams streams = new KafkaStreams(topology(props, settings, model, metrics, inference), props,
          new StableTransactionalIds(applicationId, identity.id()));
      return run(streams, inference, lock, identity.stateDir(), false, model, settings, stateListener, startTimeout,
          metrics);
    } catch (RuntimeException e) {
      inference.close();
      closeQuietly(lock);
      throw e;
    }
  }

  /**
   * The topology for these properties: warns unless exactly once, lets the production exception
   * handler count into {@code metrics}, and caps results at what the producer may send.
   */
  private static Topology topology(Properties props, ProcessorSettings settings, SegmentationModel model, PipelineMetrics metrics,
      InferenceThread inference) {
    Object guarantee = props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
    if (!StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee)) {
      log.warn("{}={} from the client properties: not exactly once, results may repeat after a crash",
          StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    }
    props.put(ContinueOnRecordErrorHandler.METRICS_CONFIG, metrics);
    ProcessorSettings limited = settings.withMaxRecordBytes(recordLimit(props, settings.maxRecordBytes()));
    RecordValues values = RecordValues.from(props);
    // the Confluent format: the result and dead-letter schemas are registered (or found) now, so an incompatible
    // subject stops the processor at start-up, before it reads a frame
    values.results().prepareWriter(Topics.MASKS.name());
    values.deadLetters().prepareWriter(Topics.DLQ.name());
    if (values.format() != ValueFormat.SINGLE_OBJECT) {
      log.info("values written as {}", values.describe());
    }
    return SegmentationTopology.build(limited, model, metrics, values, inference);
  }

  /** Starts Streams and warms the model up while the group assigns the partitions, then waits for RUNNING. */
  private static SegmentationService run(
      KafkaStreams streams,
      InferenceThread inference,
      StateDirectoryLock lock,
      Path stateDir,
      boolean temporaryStateDir,
      SegmentationModel model,
      ProcessorSettings settings,
      KafkaStreams.StateListener stateListener,
      Duration startTimeout,
      PipelineMetrics metrics) {
    streams.setStateListener(stateListener);
    SegmentationService service = new SegmentationService(streams, inference, lock, stateDir, temporaryStateDir,
        metrics.kafkaClients().bind(streams));
    streams.setUncaughtExceptionHandler(
        e -> {
          log.error("stream thread failed: {}", e.toString(), e);
          service.failure.compareAndSet(null, e);
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    streams.start();
    try {
      // joining, assignment and restore are mostly waiting on the broker: warm up meanwhile, which
      // takes seconds off a restart after a crash
      // a temporary instance (run, demo, eval, the benchmarks) is fed only once it is up: warm it up fully
      // first, so the first frames are not refined by cold code; a stable instance may have frames waiting
      BooleanSupplier framesFlow =
          temporaryStateDir ? () -> false : () -> streams.state() == KafkaStreams.State.RUNNING;
      ModelWarmUp.run(model, settings, framesFlow);
      service.awaitState(KafkaStreams.State.RUNNING, startTimeout);
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
    return service;
  }

  /**
   * The largest record the processor may send: the masks topic's limit or the producer's
   * {@code max.request.size} (as --kafka-config may set it), whichever is smaller.
   */
  static int recordLimit(Properties props, int topicLimit) {
    Object value = props.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
    if (value == null) {
      value = props.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    }
    if (value == null) {
      return Math.min(topicLimit, 1024 * 1024); // the producer's default
    }
    try {
      return Math.min(topicLimit, Integer.parseInt(String.valueOf(value).strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("max.request.size must be a number of bytes, got '" + value + "'", e);
    }
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** Why the application stopped, if it failed. */
  public Throwable failure() {
    return failure.get();
  }

  public boolean isFailed() {
    KafkaStreams.State s = streams.state();
    return s == KafkaStreams.State.ERROR || failure.get() != null;
  }

  public void awaitState(KafkaStreams.State wanted, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != wanted) {
      if (isFailed()) {
        throw new IllegalStateException("Kafka Streams failed while starting: " + failure.get(), failure.get());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Kafka Streams did not reach " + wanted + " within " + timeout.toSeconds() + " s (state " + streams.state()
                + "): is the broker at bootstrap.servers reachable and are the segstream topics created?");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Kafka Streams", e);
      }
    }
  }

  /** Where this instance keeps its Kafka Streams state. */
  public Path stateDirectory() {
    return stateDir;
  }

  /** Stops Kafka Streams and waits; then deletes the state directory if this service made it as a temporary one. */
  @Override
  public void close() {
    long begin = System.nanoTime();
    boolean stopped = streams.close(Duration.ofSeconds(30));
    if (!stopped) {
      log.warn("Kafka Streams did not stop within 30 s");
    } else {
      // a stop (SIGTERM, `docker stop`) within the grace period ends with this line
      log.info("Kafka Streams closed in {} ms", (System.nanoTime() - begin) / 1_000_000);
    }
    inference.close();
    if (temporaryStateDir) {
      if (stopped) {
        deleteTree(stateDir);
      } else {
        log.warn("left the Kafka Streams state directory {} behind: its threads may still write to it", stateDir);
      }
    }
    clientMetrics.close();
    closeQuietly(stateDirLock);
  }

  /** Deletes a directory and everything in it; a failure is logged, not thrown (this runs on close). */
  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      log.warn("cannot delete the Kafka Streams state directory {}: {}", dir, e.toString());
    }
  }
  private static void closeQuietly(StateDirectoryLock lock) {
    if (lock == null) {
      return;
    }
    try {
      lock.close();
    } catch (IOException e) {
      log.warn("cannot release the state directory lock: {} (the OS releases it when this process exits)", e.toString());
    }
  }
}
