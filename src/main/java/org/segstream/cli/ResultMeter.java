package org.segstream.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.segstream.avro.SegmentationResult;
import org.segstream.kafka.AvroSerdes;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run}'s reader of {@code segstream.masks}: counts the results of its own streams for the log
 * line and sees their end of stream. Anyone can write to the topic, so a record that is not a
 * SegmentationResult is skipped and counted ({@link #corrupt()}), logged once per {@value #LOG_EVERY};
 * the thread stops only on {@link #close()}.
 */
final class ResultMeter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResultMeter.class);
  /** A corrupt record is logged at the first and then at every this many. */
  static final long LOG_EVERY = 100;
  /** Pause after a failed poll before the next (a broker gone, say), so the log is not flooded. */
  private static final Duration POLL_RETRY = Duration.ofSeconds(1);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private final Set<String> streamIds;
  private final Set<String> ended = ConcurrentHashMap.newKeySet();
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong corrupt = new AtomicLong();
  private final AtomicLong pollFailures = new AtomicLong();
  private volatile long lastResultNanos = System.nanoTime();
  private volatile double lastLatencyMs;

  /**
   * Starts reading at the topic's end.
   *
   * @param streamIds the streams whose results count; others are ignored
   * @param interval how often to log the result rate (0: never)
   */
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
        Iterable<ConsumerRecord<byte[], byte[]>> records;
        try {
          records = consumer.poll(Duration.ofMillis(200));
        } catch (WakeupException e) {
          throw e;
        } catch (KafkaException e) {
          long n = pollFailures.incrementAndGet();
          if (n == 1 || n % LOG_EVERY == 0) {
            log.warn("reading {} failed ({} time(s) so far), retrying: {}", Topics.MASKS.name(), n, e.toString());
          }
          LockSupport.parkNanos(POLL_RETRY.toNanos());
          continue;
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
          meter(record);
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

  private void meter(ConsumerRecord<byte[], byte[]> record) {
    SegmentationResult r;
    try {
      r = AvroSerdes.results().deserializer().deserialize(record.topic(), record.value());
      if (r == null) {
        throw new IllegalArgumentException("empty record value (a tombstone)");
      }
    } catch (RuntimeException e) {
      long n = corrupt.incrementAndGet();
      if (n == 1 || n % LOG_EVERY == 0) {
        log.warn("skipped {} record(s) of {} that are no SegmentationResult, latest {}-{}@{}: {}", n, Topics.MASKS.name(),
            record.topic(), record.partition(), record.offset(), TailCommand.printable(e.getMessage(), TailCommand.MAX_REASON_CHARS));
      }
      return;
    }
    if (!streamIds.contains(r.getStreamId())) {
      return;
    }
    if (r.getEndOfStream()) {
      ended.add(r.getStreamId());
    } else {
      count.incrementAndGet();
      lastLatencyMs = r.getResultWallTimeMs() - r.getCaptureWallTimeMs();
    }
    lastResultNanos = System.nanoTime();
  }

  boolean allEnded(Set<String> ids) {
    return ended.containsAll(ids);
  }

  Duration idleFor() {
    return Duration.ofNanos(System.nanoTime() - lastResultNanos);
  }

  /** Results of our streams seen so far (end-of-stream markers not counted). */
  long count() {
    return count.get();
  }

  /** Records on the masks topic that were no SegmentationResult, skipped. */
  long corrupt() {
    return corrupt.get();
  }

  /** The reading thread runs (until {@link #close()}). */
  boolean running() {
    return thread.isAlive();
  }

  @Override
  public void close() {
    consumer.wakeup();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }
}
