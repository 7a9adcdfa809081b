package org.segstream.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.DeadLetterStage;
import org.segstream.avro.SegmentationResult;
import org.segstream.cli.TailResults;
import org.segstream.kafka.AvroSerdes;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.kafka.Topics;

/**
 * The one results consumer on a real broker, as the collectors use it: from the topics' ends, the results of some
 * streams until each ends, their dead letters by key, corrupt records skipped and counted, a deadline that names
 * the stream that did not end.
 */
class StreamCollectorIT {
  private static final byte[] CAM = "cam".getBytes(StandardCharsets.UTF_8);

  @Test
  void collectsTheStreamsUntilTheirEndSkippingCorruptRecordsAndKeepingTheirDeadLetters() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start();
        KafkaProducer<byte[], byte[]> producer = producer(broker)) {
      send(producer, Topics.MASKS.name(), CAM, result(TailResults.result("cam", 0, 1_000, 40, TailResults.labels(0))));
      producer.flush(); // before the collector opens: not seen
      try (StreamCollector collector = StreamCollector.open(broker.settings(), Set.of("cam", "door"))) {
        send(producer, Topics.MASKS.name(), CAM, new byte[] {(byte) 0xC3, 0x01, 1, 2, 3});
        send(producer, Topics.MASKS.name(), CAM, null);
        send(producer, Topics.MASKS.name(), CAM, result(TailResults.result("cam", 1, 1_000, 40, TailResults.labels(1))));
        send(producer, Topics.MASKS.name(), CAM, result(TailResults.result("someone-else", 1, 1_000, 40, TailResults.labels(1))));
        send(producer, Topics.DLQ.name(), CAM, AvroSerdes.deadLetterCodec().encode(letter()));
        send(producer, Topics.DLQ.name(), "other".getBytes(StandardCharsets.UTF_8), AvroSerdes.deadLetterCodec().encode(letter()));
        send(producer, Topics.MASKS.name(), CAM, result(TailResults.endOfStream("cam", 2)));
        send(producer, Topics.MASKS.name(), "door".getBytes(StandardCharsets.UTF_8), result(TailResults.endOfStream("door", 0)));
        producer.flush();
        List<SegmentationResult> seen = new ArrayList<>();
        List<SegmentationResult> results = collector.collectUntilEndOfStream(Duration.ofSeconds(60), seen::add);
        assertEquals(List.of("cam#1", "cam#2", "door#0"), results.stream().map(r -> r.getStreamId() + "#" + r.getSequence())
            .sorted().toList(), "the streams' results from the opening on, end of stream included");
        assertEquals(results, seen, "each handed to the callback as it came");
        assertEquals(2, collector.skipped(), "a bad body and a tombstone, skipped and counted");
        assertEquals(1, collector.deadLetters().size(), "the dead letter keyed cam, not the other one");
      }
    }
  }

  @Test
  void aStreamThatDoesNotEndTimesOutNamingIt() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start();
        KafkaProducer<byte[], byte[]> producer = producer(broker);
        StreamCollector collector = StreamCollector.open(broker.settings(), Set.of("cam", "door"))) {
      send(producer, Topics.MASKS.name(), CAM, result(TailResults.endOfStream("cam", 0)));
      producer.flush();
      long begin = System.nanoTime();
      TimeoutException e = assertThrows(TimeoutException.class,
          () -> collector.collectUntilEndOfStream(Duration.ofSeconds(3), r -> {}));
      assertTrue(e.getMessage().contains("[door]") && !e.getMessage().contains("cam"), e.getMessage());
      assertTrue(System.nanoTime() - begin < 30e9, "ends near its deadline");
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(EmbeddedBroker broker) {
    ByteArraySerializer bytes = new ByteArraySerializer();
    return new KafkaProducer<>(broker.settings().producerProperties(), bytes, bytes);
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] key, byte[] value) {
    producer.send(new ProducerRecord<>(topic, key, value));
  }

  private static byte[] result(SegmentationResult r) {
    return AvroSerdes.resultCodec().encode(r);
  }

  private static DeadLetter letter() {
    return DeadLetter.newBuilder()
        .setKey(ByteBuffer.wrap(CAM))
        .setValue(ByteBuffer.wrap(new byte[] {1, 2, 3}))
        .setTopic(Topics.FRAMES.name())
        .setPartition(0)
        .setOffset(7)
        .setStage(DeadLetterStage.DECODE)
        .setErrorClass("x")
        .setErrorMessage("not a JPEG")
        .setTimeMs(0)
        .build();
  }
}
