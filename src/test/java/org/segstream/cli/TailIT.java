package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.avro.SegmentationResult;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.kafka.Topics;

/** {@code segstream tail} against a real broker, on results produced by hand in a committed transaction. */
class TailIT {
  @TempDir Path dir;

  @Test
  void printsOneLinePerResultAndSavesTheLabelMaps() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      LabelMap first = TailResults.labels(0);
      LabelMap second = TailResults.labels(2);
      List<SegmentationResult> results = List.of(
          TailResults.result("cam", 0, 1_000_000, 120, first),
          TailResults.result("cam", 1, 1_000_033, 95, second),
          TailResults.endOfStream("cam", 2));
      try (KafkaProducer<String, SegmentationResult> producer = new KafkaProducer<>(
          broker.settings().producerProperties("tail-it"), Topics.MASKS.keySerde().serializer(),
          Topics.MASKS.valueSerde().serializer())) {
        producer.initTransactions();
        // an aborted result first: read_committed must not show it
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(Topics.MASKS.name(), "cam", TailResults.result("cam", 99, 0, 1, first)));
        producer.flush();
        producer.abortTransaction();
        producer.beginTransaction();
        for (SegmentationResult r : results) {
          producer.send(new ProducerRecord<>(Topics.MASKS.name(), "cam", r));
        }
        producer.commitTransaction();
      }

      Path saveDir = dir.resolve("masks");
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = SegstreamCli.execute(new String[] {"tail", "--from-beginning", "--max-results", "3", "--save-dir",
          saveDir.toString(), "--timeout-ms", "30000", "--bootstrap-servers", broker.bootstrapServers()},
          Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
      assertEquals(0, code, err.toString());
      assertEquals(List.of(
              "cam seq=0 latency=120ms 4x2 pet=37.5% background=50.0% border=12.5% contours=1",
              "cam seq=1 latency=95ms 4x2 pet=25.0% background=50.0% border=25.0% contours=1",
              "cam seq=2 end-of-stream"),
          out.toString().lines().toList());
      assertArrayEquals(first.labels(),
          ImageCodec.decodePngGray(Files.readAllBytes(saveDir.resolve("cam-000000.png"))).labels());
      assertArrayEquals(second.labels(),
          ImageCodec.decodePngGray(Files.readAllBytes(saveDir.resolve("cam-000001.png"))).labels());
      try (var files = Files.list(saveDir)) {
        assertEquals(2, files.count(), "no PNG for the end-of-stream record");
      }

      // with nothing new arriving, --timeout-ms ends a tail that starts at the end
      StringWriter quiet = new StringWriter();
      long begin = System.nanoTime();
      assertEquals(0, SegstreamCli.execute(new String[] {"tail", "--timeout-ms", "1500", "--bootstrap-servers",
          broker.bootstrapServers()}, Map.of(), new PrintWriter(quiet, true), new PrintWriter(new StringWriter(), true)));
      assertEquals("", quiet.toString());
      assertTrue(System.nanoTime() - begin < 30e9);
    }
  }
}
