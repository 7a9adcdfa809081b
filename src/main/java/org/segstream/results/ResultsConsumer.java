package org.segstream.results;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.SegmentationResult;
import org.segstream.kafka.ClientMetrics;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.RecordValues;
import org.segstream.kafka.SchemaRegistryClient;
import org.segstream.kafka.Topic;
import org.segstream.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reader of {@code segstream.masks} (and, when asked, {@code segstream.frames.dlq}): read_committed, in a
 * fresh group that commits nothing, so every reader sees the topics on its own and leaves no offsets behind. It
 * decodes each record and hands it to a {@link Handler}; anyone can write to the topics, so a record that is not
 * what its topic carries is skipped and counted ({@link #skipped()}), never fatal. Reading ends when the handler
 * says so, on {@link #stop()} (from any thread), or after an idle time or a timeout. One thread reads; another may
 * only call {@link #stop()}.
 */
public final class ResultsConsumer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResultsConsumer.class);
  /** A skipped record or a failed poll is logged at the first and then at every this many. */
  public static final long LOG_EVERY = 100;
  private static final Duration POLL = Duration.ofMillis(100);
  /** Pause after a failed poll before the next (a broker gone, say), so the log is not flooded. */
  private static final Duration POLL_RETRY = Duration.ofSeconds(1);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topics;
  /** Decodes values in either format (the registry resolves Confluent-framed ones). */
  private final RecordValues values;
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong pollFailures = new AtomicLong();
  private volatile boolean stopRequested;
  private volatile ClientMetrics.Binding clientMetrics = ClientMetrics.Binding.NONE;

  /** What a reader does with what it reads. Each method returns whether to keep reading. */
  public interface Handler {
    /** A result (end-of-stream markers included). */
    boolean result(SegmentationResult result);

    /** A dead letter, with the key of the record that carried it. By default: ignored. */
    default boolean deadLetter(DeadLetter letter, byte[] recordKey) {
      return true;
    }

    /** A record that is not what its topic carries, skipped. By default logged at the first and every {@value #LOG_EVERY}th. */
    default void skipped(Skipped record) {
      if (record.skippedSoFar() == 1 || record.skippedSoFar() % LOG_EVERY == 0) {
        log.warn("skipped {} record(s) of {} that are no {}, latest {}: {}", record.skippedSoFar(), record.topic(),
            record.expected(), record.position(), ResultLines.printable(record.reason(), ResultLines.MAX_REASON_CHARS));
      }
    }

    /** After every poll, with records or none: for periodic work and for conditions over a whole batch. */
    default boolean afterPoll() {
      return true;
    }
  }

  /**
   * A record skipped because it does not decode as what its topic carries.
   *
   * @param expected what the topic carries: SegmentationResult or DeadLetter
   * @param skippedSoFar how many this reader skipped, this one included
   */
  public record Skipped(String topic, int partition, long offset, String expected, String reason, long skippedSoFar) {
    /** {@code <topic>-<partition>@<offset>}. */
    public String position() {
      return topic + "-" + partition + "@" + offset;
    }
  }

  /** Why {@link #read} returned. */
  public enum End { HANDLER, STOPPED, IDLE, TIMEOUT }

  private ResultsConsumer(KafkaConsumer<byte[], byte[]> consumer, String topics, RecordValues values) {
    this.consumer = consumer;
    this.topics = topics;
    this.values = values;
  }

  /**
   * Every partition of the masks topic (and of the dead-letter topic with {@code deadLetters}) from its end as it
   * is now: open it before the frames are published and it sees exactly the results that follow.
   *
   * @param name the start of the group id, which names the reader in the broker's logs
   * @throws IllegalStateException when a topic does not exist
   */
  public static ResultsConsumer fromNow(KafkaSettings settings, String name, boolean deadLetters) {
    List<Topic<?, ?>> wanted = deadLetters ? List.of(Topics.MASKS, Topics.DLQ) : List.of(Topics.MASKS);
    KafkaConsumer<byte[], byte[]> consumer = newConsumer(settings, name, deadLetters, "latest");
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (Topic<?, ?> topic : wanted) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), METADATA_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
          throw new IllegalStateException("topic " + topic.name() + " does not exist: create the segstream topics first");
        }
        infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      for (TopicPartition tp : partitions) {
        consumer.position(tp, METADATA_TIMEOUT); // fixes the start now, before anything is published
      }
      return new ResultsConsumer(consumer, String.join(", ", wanted.stream().map(Topic::name).toList()),
          settings.recordValues());
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
  }

  /**
   * The topic ({@link Topics#MASKS} or {@link Topics#DLQ}) through a group subscription, from its oldest record
   * or from the next new one; a topic that does not exist yet is read once it does.
   */
  public static ResultsConsumer subscribed(KafkaSettings settings, String name, Topic<?, ?> topic, boolean fromBeginning) {
    if (!topic.name().equals(Topics.MASKS.name()) && !topic.name().equals(Topics.DLQ.name())) {
      throw new IllegalArgumentException("a results consumer reads " + Topics.MASKS.name() + " or " + Topics.DLQ.name()
          + ", not " + topic.name());
    }
    boolean deadLetters = topic.name().equals(Topics.DLQ.name());
    KafkaConsumer<byte[], byte[]> consumer = newConsumer(settings, name, deadLetters, fromBeginning ? "earliest" : "latest");
    consumer.subscribe(List.of(topic.name()));
    return new ResultsConsumer(consumer, topic.name(), settings.recordValues());
  }

  private static KafkaConsumer<byte[], byte[]> newConsumer(KafkaSettings settings, String name, boolean deadLetters,
      String offsetReset) {
    Properties props = settings.consumerProperties(name + "-" + UUID.randomUUID(), true);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    if (deadLetters) {
      // a dead letter carries a whole frame: fetch the largest one the topic takes
      props.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(KafkaSettings.MAX_REQUEST_BYTES));
    }
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Reads until the handler says stop, {@link #stop()}, no record for {@code idle}, or {@code timeout} in all
   * (either {@link Duration#ZERO}: no limit). A failing poll throws.
   */
  public End read(Handler handler, Duration idle, Duration timeout) {
    return loop(handler, idle, timeout, false);
  }

  /**
   * Reads until {@link #stop()}, whatever the handler returns; a failing poll (a broker gone, say) is logged and
   * retried after a pause, so a long-running reader outlives an outage.
   */
  public void readUntilStopped(Handler handler) {
    loop(handler, Duration.ZERO, Duration.ZERO, true);
  }

  private End loop(Handler handler, Duration idle, Duration timeout, boolean untilStopped) {
    long start = System.nanoTime();
    long lastArrival = start;
    try {
      while (!stopRequested) {
        if (!timeout.isZero() && System.nanoTime() - start > timeout.toNanos()) {
          return End.TIMEOUT;
        }
        ConsumerRecords<byte[], byte[]> records = untilStopped ? pollRetrying() : consumer.poll(POLL);
        if (!records.isEmpty()) {
          lastArrival = System.nanoTime();
        } else if (!idle.isZero() && System.nanoTime() - lastArrival > idle.toNanos()) {
          return End.IDLE;
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
          if (!deliver(record, handler) && !untilStopped) {
            return End.HANDLER;
          }
        }
        if (!handler.afterPoll() && !untilStopped) {
          return End.HANDLER;
        }
      }
    } catch (WakeupException e) {
      // stop() from another thread
    }
    return End.STOPPED;
  }

  private ConsumerRecords<byte[], byte[]> pollRetrying() {
    try {
      return consumer.poll(POLL);
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      long n = pollFailures.incrementAndGet();
      if (n == 1 || n % LOG_EVERY == 0) {
        log.warn("reading {} failed ({} time(s) so far), retrying: {}", topics, n, e.toString());
      }
      LockSupport.parkNanos(POLL_RETRY.toNanos());
      return ConsumerRecords.empty();
    }
  }

  private boolean deliver(ConsumerRecord<byte[], byte[]> record, Handler handler) {
    boolean deadLetter = record.topic().equals(Topics.DLQ.name());
    Object value;
    try {
      value = record.value() == null ? null : deadLetter
          ? values.deadLetters().decode(record.value())
          : values.results().decode(record.value());
      if (value == null) {
        throw new IllegalArgumentException("empty record value (a tombstone)");
      }
    } catch (SchemaRegistryClient.Unavailable | SchemaRegistryClient.RegistryException e) {
      throw e; // the registry, not the record: stop rather than skip results that are fine
    } catch (RuntimeException e) {
      handler.skipped(new Skipped(record.topic(), record.partition(), record.offset(),
          deadLetter ? "DeadLetter" : "SegmentationResult", e.getMessage(), skipped.incrementAndGet()));
      return true;
    }
    return value instanceof DeadLetter letter ? handler.deadLetter(letter, record.key())
        : handler.result((SegmentationResult) value);
  }

  /** Publishes the consumer's own metrics (its lag above all) to {@code metrics} until {@link #close()}. */
  public void bindMetrics(ClientMetrics metrics) {
    clientMetrics.close();
    clientMetrics = metrics.bind(consumer);
  }

  /** Records skipped so far: not what their topic carries. */
  public long skipped() {
    return skipped.get();
  }

  /** Ends reading from any thread: {@link #read} returns {@link End#STOPPED}. */
  public void stop() {
    stopRequested = true;
    consumer.wakeup();
  }

  /** Closes the consumer; call it from the reading thread, or after it stopped reading. */
  @Override
  public void close() {
    clientMetrics.close();
    consumer.close(Duration.ofSeconds(5));
  }
}
