package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.segstream.kafka.AvroSerdes;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.kafka.Topics;
import org.segstream.testing.LogCapture;

/** {@code run}'s result meter on a real broker: corrupt records on the masks topic are skipped and counted, never fatal. */
class ResultMeterIT {

  @Test
  void corruptRecordsAreSkippedAndCountedAndTheMeterKeepsReading() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start();
        LogCapture logs = LogCapture.open();
        ResultMeter meter = new ResultMeter(broker.settings(), Set.of("cam"), Duration.ZERO)) {
      ByteArraySerializer bytes = new ByteArraySerializer();
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.settings().producerProperties(), bytes, bytes)) {
        String topic = Topics.MASKS.name();
        byte[] key = "cam".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, key, new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
        producer.send(new ProducerRecord<>(topic, key, null)); // a tombstone
        producer.send(new ProducerRecord<>(topic, key, encode(TailResults.result("cam", 0, 1_000, 40, TailResults.labels(0)))));
        producer.send(new ProducerRecord<>(topic, key, encode(TailResults.result("someone-else", 0, 1_000, 40, TailResults.labels(0)))));
        for (int i = 0; i < 250; i++) {
          producer.send(new ProducerRecord<>(topic, key, ("garbage " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        producer.send(new ProducerRecord<>(topic, key, encode(TailResults.result("cam", 1, 2_000, 40, TailResults.labels(1)))));
        producer.send(new ProducerRecord<>(topic, key, encode(TailResults.endOfStream("cam", 2))));
        producer.flush();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!meter.allEnded(Set.of("cam"))) {
        if (!meter.running()) {
          fail("the meter's thread died:\n" + String.join("\n", logs.lines()));
        }
        if (System.nanoTime() > deadline) {
          fail("no end of stream within 60 s; results " + meter.count() + ", corrupt " + meter.corrupt());
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
      assertTrue(meter.running(), "still reading after 252 corrupt records");
      assertEquals(2, meter.count(), "both results of cam, the other stream's ignored");
      assertEquals(252, meter.corrupt(), "1 bad body, 1 tombstone, 250 non-Avro records");
      long warnings = logs.lines().stream().filter(l -> l.contains("that are no SegmentationResult")).count();
      assertEquals(3, warnings, "logged at the 1st, 100th and 200th: " + logs.lines());
    }
  }

  private static byte[] encode(org.segstream.avro.SegmentationResult result) {
    return AvroSerdes.resultCodec().encode(result);
  }
}
