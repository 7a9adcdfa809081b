package org.segstream.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.Serdes;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.VideoFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Segstream's topics (DESIGN.md, "Defaults and settings") and their creation. */
public final class Topics {
  private static final Logger LOG = LoggerFactory.getLogger(Topics.class);

  /** The largest frame record (and result record) the topics accept: 8 MiB. */
  public static final int MAX_RECORD_BYTES = 8 * 1024 * 1024;
  /** A dead letter carries a whole frame plus the error, so its topic takes 1 MiB more. */
  public static final int MAX_DEAD_LETTER_BYTES = MAX_RECORD_BYTES + 1024 * 1024;

  /** {@code segstream.frames}: key = stream id, value = VideoFrame. */
  public static final Topic<String, VideoFrame> FRAMES = new Topic<>(
      "segstream.frames", 4, Serdes.String(), AvroSerdes.videoFrames(),
      Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_RECORD_BYTES)));

  /** {@code segstream.masks}: key = stream id, value = SegmentationResult. */
  public static final Topic<String, SegmentationResult> MASKS = new Topic<>(
      "segstream.masks", 4, Serdes.String(), AvroSerdes.results(),
      Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_RECORD_BYTES)));

  /** {@code segstream.frames.dlq}: key = the failed record's key bytes as they were, value = DeadLetter. */
  public static final Topic<byte[], DeadLetter> DLQ = new Topic<>(
      "segstream.frames.dlq", 1, Serdes.ByteArray(), AvroSerdes.deadLetters(),
      Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_DEAD_LETTER_BYTES)));

  private static final List<Topic<?, ?>> ALL = List.of(FRAMES, MASKS, DLQ);

  private Topics() {}

  /** The three topics, in data-flow order. */
  public static List<Topic<?, ?>> all() {
    return ALL;
  }

  /**
   * Creates those of Segstream's topics that do not exist yet, replicated min(3, brokers) times;
   * returns the names it created.
   */
  public static List<String> ensureCreated(Admin admin) {
    try {
      int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
      return ensureCreated(admin, Math.max(1, Math.min(3, brokers)), ALL);
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaSetupException("cannot reach the Kafka cluster within 30 s: are the bootstrap servers right and the broker up?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaSetupException("interrupted while connecting to Kafka", e);
    }
  }

  /** Creates those of Segstream's topics that do not exist yet; returns the names it created. */
  public static List<String> ensureCreated(Admin admin, int replication) {
    return ensureCreated(admin, replication, ALL);
  }

  /**
   * Creates the missing topics with their partitions and configs. Idempotent: a topic that exists
   * (or that another process creates at the same moment) is left as it is.
   */
  public static List<String> ensureCreated(Admin admin, int replication, List<Topic<?, ?>> topics) {
    if (replication < 1 || replication > Short.MAX_VALUE) {
      throw new IllegalArgumentException("replication must be at least 1, not " + replication);
    }
    try {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (Topic<?, ?> topic : topics) {
        if (!existing.contains(topic.name())) {
          missing.add(topic.newTopic((short) replication));
        }
      }
      if (missing.isEmpty()) {
        return List.of();
      }
      CreateTopicsResult result = admin.createTopics(missing);
      List<String> created = new ArrayList<>();
      for (NewTopic topic : missing) {
        try {
          result.values().get(topic.name()).get(30, TimeUnit.SECONDS);
          created.add(topic.name());
          LOG.info("created topic {} ({} partitions, replication {}, {})",
              topic.name(), topic.numPartitions(), replication, topic.configs());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      return List.copyOf(created);
    } catch (ExecutionException e) {
      throw new KafkaSetupException("cannot create the Segstream topics: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaSetupException("cannot create the Segstream topics: the cluster did not answer within 30 s "
          + "(are the bootstrap servers right and the broker up?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaSetupException("interrupted while creating the Segstream topics", e);
    }
  }
}
