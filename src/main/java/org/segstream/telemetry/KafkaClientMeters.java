package org.segstream.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;
import org.segstream.kafka.ClientMetrics;
import org.segstream.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's own client metrics in the registry through Micrometer's {@link KafkaClientMetrics} and
 * {@link KafkaStreamsMetrics}, every meter tagged {@code component} (who owns the client). Names as Prometheus
 * shows them: the client's metric group and name, {@code kafka_consumer_fetch_manager_records_lag_max},
 * {@code kafka_consumer_fetch_manager_records_lag{topic,partition}}, {@code kafka_stream_thread_commit_latency_avg},
 * {@code kafka_producer_record_error_total}..., with {@code client_id} and {@code kafka_version} tags.
 *
 * <p>A client adds metrics as it runs (per-partition lag only once partitions are assigned and fetched), and
 * Micrometer looks for new ones every 60 s, a constant it does not let us change. Each binding therefore gets its
 * own one-thread scheduler that runs Micrometer's look-up every {@link #REFRESH} instead; the scheduler is stopped
 * when the binding closes, since Micrometer never cancels the task on a scheduler it was given.
 */
final class KafkaClientMeters implements ClientMetrics {
  private static final Logger log = LoggerFactory.getLogger(KafkaClientMeters.class);
  /** How soon a client's new metrics (a partition's lag after an assignment) appear on /metrics. */
  static final Duration REFRESH = Duration.ofSeconds(5);

  private static final Set<String> UNDERSCORED_TOPICS = Topics.all().stream()
      .map(t -> t.name().replace('.', '_'))
      .filter(n -> Topics.all().stream().noneMatch(t -> t.name().equals(n)))
      .collect(Collectors.toUnmodifiableSet());

  /**
   * Kafka's consumer reports each per-topic fetch metric twice for a topic with dots in its name: under the name
   * and, deprecated, with the dots replaced by underscores ({@code topic="segstream_frames"}), which doubles every
   * sum over topics. This filter drops the underscore copies of Segstream's topics.
   */
  static final MeterFilter DEPRECATED_TOPIC_COPIES = MeterFilter.deny(id -> {
    String topic = id.getTag("topic");
    return topic != null && id.getName().startsWith("kafka.consumer.") && UNDERSCORED_TOPICS.contains(topic);
  });

  private final MeterRegistry registry;
  private final String component;

  KafkaClientMeters(MeterRegistry registry, String component) {
    this.registry = registry;
    this.component = component;
  }

  @Override
  public Binding bind(Producer<?, ?> producer) {
    return bindWith(scheduler -> new KafkaClientMetrics(producer, tags(), scheduler), "producer");
  }

  @Override
  public Binding bind(Consumer<?, ?> consumer) {
    return bindWith(scheduler -> new KafkaClientMetrics(consumer, tags(), scheduler), "consumer");
  }

  @Override
  public Binding bind(KafkaStreams streams) {
    return bindWith(scheduler -> new KafkaStreamsMetrics(streams, tags(), scheduler), "Kafka Streams application");
  }

  private Tags tags() {
    return Tags.of("component", component);
  }

  private <B extends MeterBinder & AutoCloseable> Binding bindWith(Function<ScheduledThreadPoolExecutor, B> binderOf,
      String what) {
    Refresher refresher = new Refresher("segstream-kafka-metrics-" + component);
    B binder;
    try {
      binder = binderOf.apply(refresher);
      binder.bindTo(registry);
    } catch (RuntimeException e) {
      refresher.shutdownNow();
      log.warn("the {} metrics of a {} are not published: {}", component, what, e.toString());
      return Binding.NONE;
    }
    AtomicBoolean closed = new AtomicBoolean();
    return () -> {
      if (closed.compareAndSet(false, true)) {
        refresher.shutdownNow(); // first: a look-up after the unbinding would register the meters again
        try {
          binder.close();
        } catch (Exception e) {
          log.warn("unbinding the {} metrics of a {} failed: {}", component, what, e.toString());
        }
      }
    };
  }

  /** A one-thread daemon scheduler that runs each periodic task every {@link #REFRESH}, whatever period it is asked for. */
  private static final class Refresher extends ScheduledThreadPoolExecutor {
    Refresher(String threadName) {
      super(1, r -> {
        Thread t = new Thread(r, threadName);
        t.setDaemon(true);
        return t;
      });
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
      return super.scheduleAtFixedRate(command, REFRESH.toMillis(), REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
