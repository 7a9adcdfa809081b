package org.segstream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.avro.FrameEncoding;
import org.segstream.avro.VideoFrame;

/** A real single-node KRaft broker in this JVM: transactions, read_committed, large frames, two at once. */
class EmbeddedBrokerIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @Test
  void transactionalRecordsReachAReadCommittedConsumer() throws Exception {
    long begin = System.nanoTime();
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
      System.out.printf("embedded broker at %s: answering after %d ms, ready with topics after %d ms%n",
          broker.bootstrapServers(), broker.startupTime().toMillis(), readyMs);
      assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"));
      assertTrue(Files.isDirectory(broker.dataDir()));
      assertSegstreamTopics(broker);

      Topic<String, String> topic = new Topic<>("it.transactions", 4, Serdes.String(), Serdes.String());
      assertEquals(List.of("it.transactions"), broker.createTopics(List.of(topic)));
      assertEquals(List.of(), broker.createTopics(List.of(topic)), "creating again is a no-op");

      KafkaSettings settings = broker.settings();
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(
          settings.producerProperties("it-transactions"), topic.keySerde().serializer(), topic.valueSerde().serializer())) {
        producer.initTransactions();
        // an aborted transaction first: a read_committed consumer must never see it
        producer.beginTransaction();
        for (int i = 0; i < 100; i++) {
          producer.send(new ProducerRecord<>(topic.name(), "aborted-" + i, "x"));
        }
        producer.flush();
        producer.abortTransaction();
        for (int batch = 0; batch < 4; batch++) {
          producer.beginTransaction();
          for (int i = batch * 250; i < (batch + 1) * 250; i++) {
            producer.send(new ProducerRecord<>(topic.name(), "key-" + i, "value-" + i));
          }
          producer.commitTransaction();
        }
      }

      Properties consumerProps = settings.consumerProperties("it-read-committed", true);
      consumerProps.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
      Map<String, String> seen = new HashMap<>();
      Set<Integer> partitions = new HashSet<>();
      List<String> unexpected = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
          consumerProps, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
        consumer.subscribe(List.of(topic.name()));
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (seen.size() < 1000 && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            if (seen.put(r.key(), r.value()) != null || !r.key().startsWith("key-")) {
              unexpected.add(r.key());
            }
            partitions.add(r.partition());
          }
        }
        // anything more (duplicates, aborted records) would arrive with the committed ones; poll once more
        consumer.poll(Duration.ofMillis(500)).forEach(r -> unexpected.add(r.key()));
      }
      assertEquals(1000, seen.size(), "committed records consumed before the deadline");
      assertEquals(List.of(), unexpected, "no duplicates and nothing from the aborted transaction");
      for (int i = 0; i < 1000; i++) {
        assertEquals("value-" + i, seen.get("key-" + i));
      }
      assertEquals(Set.of(0, 1, 2, 3), partitions, "the keys spread over the 4 partitions");
    }
  }

  @Test
  void restartsOnTheSamePortAndDirectoryKeepingRecordsOffsetsAndTransactions(@TempDir Path dir) throws Exception {
    Topic<String, String> topic = new Topic<>("it.restart", 2, Serdes.String(), Serdes.String());
    EmbeddedBroker first = EmbeddedBroker.start(EmbeddedBroker.Settings.defaults().withDataDir(dir.resolve("log")));
    EmbeddedBroker broker = first;
    try {
      broker.createTopics(List.of(topic));
      KafkaSettings settings = broker.settings();
      Properties consumerProps = settings.consumerProperties("it-restart", true);
      consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(
              settings.producerProperties("it-restart"), topic.keySerde().serializer(), topic.valueSerde().serializer());
          KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
              consumerProps, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
        producer.initTransactions();
        producer.beginTransaction();
        for (int i = 0; i < 10; i++) {
          producer.send(new ProducerRecord<>(topic.name(), "before-" + i, "x"));
        }
        producer.commitTransaction();
        consumer.subscribe(List.of(topic.name()));
        assertEquals(10, pollKeys(consumer, 10).size());
        consumer.commitSync();

        broker = first.restart();
        assertEquals(first.bootstrapServers(), broker.bootstrapServers(), "the same address");
        assertEquals(first.dataDir(), broker.dataDir());
        assertThrows(IllegalStateException.class, first::restart, "the old broker is closed");

        // the same clients carry on: the transactional producer and the group's committed offsets survived
        producer.beginTransaction();
        for (int i = 0; i < 10; i++) {
          producer.send(new ProducerRecord<>(topic.name(), "after-" + i, "x"));
        }
        producer.commitTransaction();
        Set<String> after = pollKeys(consumer, 10);
        assertEquals(10, after.size());
        assertTrue(after.stream().allMatch(k -> k.startsWith("after-")), "nothing read twice: " + after);
      }
      assertTrue(broker.createTopics(List.of(topic)).isEmpty(), "the topic survived");
    } finally {
      broker.close();
    }
    assertTrue(Files.isDirectory(dir.resolve("log")), "a given directory stays");
    try (EmbeddedBroker temporary = EmbeddedBroker.start()) {
      assertThrows(IllegalStateException.class, temporary::restart, "a temporary directory cannot outlive a restart");
    }
  }

  private static Set<String> pollKeys(KafkaConsumer<String, String> consumer, int count) {
    Set<String> keys = new HashSet<>();
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (keys.size() < count && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(200)).forEach(r -> keys.add(r.key()));
    }
    return keys;
  }

  @Test
  void twoBrokersStartedTogetherEachGetTheirOwnPortAndDirectory() throws Exception {
    CompletableFuture<EmbeddedBroker> first = CompletableFuture.supplyAsync(EmbeddedBroker::start);
    CompletableFuture<EmbeddedBroker> second = CompletableFuture.supplyAsync(EmbeddedBroker::start);
    Path firstDir;
    Path secondDir;
    try (EmbeddedBroker a = first.get(2, TimeUnit.MINUTES); EmbeddedBroker b = second.get(2, TimeUnit.MINUTES)) {
      System.out.printf("two brokers started together: %s in %d ms, %s in %d ms%n",
          a.bootstrapServers(), a.startupTime().toMillis(), b.bootstrapServers(), b.startupTime().toMillis());
      assertNotEquals(a.port(), b.port());
      assertNotEquals(a.dataDir(), b.dataDir());
      firstDir = a.dataDir();
      secondDir = b.dataDir();
      // each one carries a frame near the 8 MiB limit through the frames topic and its serdes
      assertFrameRoundTrip(a, "cam-a", 7 * 1024 * 1024, "classic");
      // the new consumer group protocol (KIP-848) works with the broker's short group timeouts too
      assertFrameRoundTrip(b, "cam-b", 1024, "consumer");
    }
    assertFalse(Files.exists(firstDir), "temporary log directory deleted on close");
    assertFalse(Files.exists(secondDir), "temporary log directory deleted on close");
  }

  private static void assertSegstreamTopics(EmbeddedBroker broker) throws Exception {
    try (Admin admin = Admin.create(broker.settings().adminProperties())) {
      Map<String, TopicDescription> topics = admin.describeTopics(List.of("segstream.frames", "segstream.masks",
          "segstream.frames.dlq")).allTopicNames().get(30, TimeUnit.SECONDS);
      assertEquals(4, topics.get("segstream.frames").partitions().size());
      assertEquals(4, topics.get("segstream.masks").partitions().size());
      assertEquals(1, topics.get("segstream.frames.dlq").partitions().size());
      ConfigResource frames = new ConfigResource(ConfigResource.Type.TOPIC, "segstream.frames");
      Config config = admin.describeConfigs(List.of(frames)).all().get(30, TimeUnit.SECONDS).get(frames);
      assertEquals(Integer.toString(8 * 1024 * 1024), config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
      assertEquals(List.of(), Topics.ensureCreated(admin, 1), "the topics exist: nothing more to create");
    }
  }

  private static void assertFrameRoundTrip(EmbeddedBroker broker, String streamId, int size, String groupProtocol)
      throws Exception {
    byte[] data = new byte[size];
    for (int i = 0; i < size; i++) {
      data[i] = (byte) (i * 31);
    }
    VideoFrame frame = VideoFrame.newBuilder().setStreamId(streamId).setSequence(0).setCaptureTimeUs(0)
        .setCaptureWallTimeMs(System.currentTimeMillis()).setWidth(1).setHeight(1).setEncoding(FrameEncoding.RAW_BGR)
        .setData(ByteBuffer.wrap(data)).setSourceUri("test:" + streamId).build();
    Topic<String, VideoFrame> topic = Topics.FRAMES;
    try (KafkaProducer<String, VideoFrame> producer = new KafkaProducer<>(
        broker.settings().producerProperties(), topic.keySerde().serializer(), topic.valueSerde().serializer())) {
      producer.send(new ProducerRecord<>(topic.name(), streamId, frame)).get(30, TimeUnit.SECONDS);
    }
    Properties props = broker.settings().consumerProperties("it-frames-" + streamId, true);
    props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, groupProtocol);
    if (groupProtocol.equals("classic")) {
      props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
    }
    try (KafkaConsumer<String, VideoFrame> consumer = new KafkaConsumer<>(
        props, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      consumer.subscribe(List.of(topic.name()));
      List<VideoFrame> got = new ArrayList<>();
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (got.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> got.add(r.value()));
      }
      assertEquals(List.of(frame), got, "the frame came back from " + broker.bootstrapServers());
    }
  }
}
