package org.segstream.eval;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.SegmentationResult;
import org.segstream.kafka.AvroSerdes;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topics;

/**
 * Reads the results of some streams from {@code segstream.masks} (read_committed) until each has
 * sent its end-of-stream result. Position it with {@link #open} before the frames are ingested, so
 * it sees exactly the results that follow.
 */
public final class ResultCollector implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Set<String> streamIds;
  private final List<DeadLetter> deadLetters = new ArrayList<>();

  private ResultCollector(KafkaConsumer<byte[], byte[]> consumer, Set<String> streamIds) {
    this.consumer = consumer;
    this.streamIds = Set.copyOf(streamIds);
  }

  /** Subscribes to every partition of the masks and dead-letter topics at their current ends. */
  public static ResultCollector open(KafkaSettings settings, Set<String> streamIds) {
    Properties props = settings.consumerProperties("segstream-collector-" + UUID.randomUUID(), true);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(Topics.MASKS.name(), Topics.DLQ.name())) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
          throw new IllegalStateException("topic " + topic + " does not exist: create the segstream topics first");
        }
        for (PartitionInfo p : infos) {
          partitions.add(new TopicPartition(p.topic(), p.partition()));
        }
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      for (TopicPartition tp : partitions) {
        consumer.position(tp, Duration.ofSeconds(30)); // fixes the start now, before ingest begins
      }
      return new ResultCollector(consumer, streamIds);
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
  }

  /**
   * Collects results of the streams until every stream's end-of-stream result arrived (included in
   * the list), calling {@code onResult} for each.
   *
   * @throws TimeoutException when they do not all end within {@code timeout}
   */
  public List<SegmentationResult> collectUntilEndOfStream(Duration timeout, Consumer<SegmentationResult> onResult)
      throws TimeoutException {
    List<SegmentationResult> results = new ArrayList<>();
    Set<String> ended = new HashSet<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ended.containsAll(streamIds)) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "no end-of-stream result from " + streamIdsNotIn(ended) + " within " + timeout.toSeconds() + " s ("
                + results.size() + " results so far): is the processor running?");
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        if (record.topic().equals(Topics.DLQ.name())) {
          String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
          if (key != null && streamIds.contains(key)) {
            deadLetters.add(AvroSerdes.deadLetters().deserializer().deserialize(record.topic(), record.value()));
          }
          continue;
        }
        SegmentationResult r = AvroSerdes.results().deserializer().deserialize(record.topic(), record.value());
        if (r == null || !streamIds.contains(r.getStreamId())) {
          continue;
        }
        results.add(r);
        onResult.accept(r);
        if (r.getEndOfStream()) {
          ended.add(r.getStreamId());
        }
      }
    }
    drainDeadLetters();
    return results;
  }

  /** Dead letters of the last batches may sit in a partition fetched after the end-of-stream result. */
  private void drainDeadLetters() {
    long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    while (System.nanoTime() < deadline) {
      var records = consumer.poll(Duration.ofMillis(100));
      if (records.isEmpty()) {
        return;
      }
      for (ConsumerRecord<byte[], byte[]> record : records) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (record.topic().equals(Topics.DLQ.name()) && key != null && streamIds.contains(key)) {
          deadLetters.add(AvroSerdes.deadLetters().deserializer().deserialize(record.topic(), record.value()));
        }
      }
    }
  }

  /** Dead letters of the streams seen so far (keyed by their stream id). */
  public List<DeadLetter> deadLetters() {
    return List.copyOf(deadLetters);
  }

  private List<String> streamIdsNotIn(Set<String> ended) {
    return streamIds.stream().filter(s -> !ended.contains(s)).sorted().toList();
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
