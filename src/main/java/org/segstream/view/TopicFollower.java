package org.segstream.view;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.VideoFrame;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.RecordValues;
import org.segstream.kafka.Topic;
import org.segstream.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the frames, results and dead-letter topics from their ends, on its own thread, into a {@link StreamBoard}.
 * Outside the processor's path: partitions assigned, no group, nothing committed, so the view never takes a
 * partition from anyone nor delays a commit. Results read_committed, like every downstream reader. A record that
 * does not decode is counted and skipped; a failing poll (a broker gone) is logged and retried.
 */
final class TopicFollower implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
  private static final long HOUSEKEEP_NANOS = 250_000_000L;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final StreamBoard board;
  private final Thread thread;
  /** Either wire format, per record (the settings' registry for Confluent-framed values). */
  private final RecordValues values;
  private final AtomicLong undecodable = new AtomicLong();
  private final AtomicLong pollFailures = new AtomicLong();
  private volatile boolean stopRequested;

  private TopicFollower(KafkaConsumer<byte[], byte[]> consumer, StreamBoard board, RecordValues values) {
    this.consumer = consumer;
    this.values = values;
    this.board = board;
    this.thread = new Thread(this::loop, "segstream-view-consumer");
    thread.setDaemon(true);
  }

  /**
   * Positions at the topics' ends now, then starts reading.
   *
   * @throws IllegalStateException when a topic does not exist
   */
  static TopicFollower start(KafkaSettings settings, StreamBoard board) {
    Properties props = settings.consumerProperties("unused", true);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned, never a member of a group
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "segstream-view");
    // frames (and dead letters) carry whole images: fetch the largest record the topics take
    props.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(KafkaSettings.MAX_REQUEST_BYTES));
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (Topic<?, ?> topic : List.of(Topics.FRAMES, Topics.MASKS, Topics.DLQ)) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), METADATA_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
          throw new IllegalStateException("topic " + topic.name() + " does not exist: start the processor first (it creates "
              + "the topics), or create them");
        }
        infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      for (TopicPartition tp : partitions) {
        consumer.position(tp, METADATA_TIMEOUT); // fixes the start now
      }
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
    TopicFollower follower = new TopicFollower(consumer, board, settings.recordValues());
    follower.thread.start();
    return follower;
  }

  /** Records skipped because they did not decode as what their topic carries. */
  long undecodable() {
    return undecodable.get();
  }

  private void loop() {
    long lastHousekeeping = System.nanoTime();
    try {
      while (!stopRequested) {
        for (ConsumerRecord<byte[], byte[]> record : poll()) {
          deliver(record, System.nanoTime());
        }
        long now = System.nanoTime();
        if (now - lastHousekeeping > HOUSEKEEP_NANOS) {
          board.housekeep(now);
          lastHousekeeping = now;
        }
      }
    } catch (WakeupException e) {
      // close() from another thread
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private Iterable<ConsumerRecord<byte[], byte[]>> poll() {
    try {
      return consumer.poll(POLL);
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      long n = pollFailures.incrementAndGet();
      if (n == 1 || n % 100 == 0) {
        log.warn("the view cannot read the topics ({} time(s) so far), retrying: {}", n, e.toString());
      }
      LockSupport.parkNanos(1_000_000_000L);
      return List.of();
    }
  }

  private void deliver(ConsumerRecord<byte[], byte[]> record, long now) {
    String topic = record.topic();
    try {
      if (topic.equals(Topics.DLQ.name())) {
        board.deadLetter(record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8), now);
      } else if (record.value() == null) {
        undecodable.incrementAndGet();
      } else if (topic.equals(Topics.FRAMES.name())) {
        VideoFrame frame = values.frames().decode(record.value());
        board.frame(frame, now);
      } else {
        SegmentationResult result = values.results().decode(record.value());
        board.result(result, now);
      }
    } catch (RuntimeException e) {
      long n = undecodable.incrementAndGet();
      if (n == 1 || n % 100 == 0) {
        log.warn("the view skipped {} record(s) that do not decode, latest {}-{}@{}: {}", n, topic, record.partition(),
            record.offset(), e.toString());
      }
    }
  }

  @Override
  public void close() {
    stopRequested = true;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
