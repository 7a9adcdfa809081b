package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.DeadLetterStage;
import org.segstream.avro.SegmentationResult;
import org.segstream.kafka.AvroSerdes;
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

      // --json: the same three results, one JSON object per line, with the values of the records
      Run json = tail("tail", "--json", "--from-beginning", "--max-results", "3", "--timeout-ms", "30000",
          "--bootstrap-servers", broker.bootstrapServers());
      assertEquals(0, json.code(), json.err());
      List<String> lines = json.out().lines().toList();
      assertEquals(3, lines.size(), json.out());
      ObjectMapper mapper = new ObjectMapper();
      for (int i = 0; i < 3; i++) {
        JsonNode o = mapper.readTree(lines.get(i));
        SegmentationResult r = results.get(i);
        assertEquals("cam", o.get("stream").asText());
        assertEquals(r.getSequence(), o.get("sequence").asLong());
        assertEquals(r.getEndOfStream(), o.get("endOfStream").asBoolean());
        assertEquals(r.getResultWallTimeMs() - r.getCaptureWallTimeMs(), o.get("latencyMs").asLong());
        for (int k = 0; k < r.getClassFractions().size(); k++) {
          assertEquals(r.getClassNames().get(k), o.get("classes").get(k).get("name").asText());
          assertEquals(r.getClassFractions().get(k), (float) o.get("classes").get(k).get("fraction").asDouble());
        }
        assertEquals(r.getContours().size(), o.get("contours").asInt());
      }
      assertEquals(List.of(120L, 95L), List.of(mapper.readTree(lines.get(0)).get("latencyMs").asLong(),
          mapper.readTree(lines.get(1)).get("latencyMs").asLong()));

      // with nothing new arriving, --timeout-ms ends a tail that starts at the end
      StringWriter quiet = new StringWriter();
      long begin = System.nanoTime();
      assertEquals(0, SegstreamCli.execute(new String[] {"tail", "--timeout-ms", "1500", "--bootstrap-servers",
          broker.bootstrapServers()}, Map.of(), new PrintWriter(quiet, true), new PrintWriter(new StringWriter(), true)));
      assertEquals("", quiet.toString());
      assertTrue(System.nanoTime() - begin < 30e9);
    }
  }

  private record Run(int code, String out, String err) {}

  private static Run tail(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SegstreamCli.execute(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void dlqPrintsEveryDeadLetterAndSavesTheFailedValues() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      byte[] frame = AvroSerdes.frameCodec().encode(TailCommandTest.frame("cam-1", 41));
      byte[] garbage = {0x47, 0x49, 0x46, 0x38, 0x00, (byte) 0xFF};
      byte[] binaryKey = {(byte) 0xFF, 0x00, 0x10};
      List<DeadLetter> letters = List.of(
          DeadLetter.newBuilder(TailCommandTest.letter("cam-1".getBytes(StandardCharsets.UTF_8), frame, Topics.FRAMES.name(),
              DeadLetterStage.DECODE, "declared JPEG 64x48, data is PNG 30000x30000")).setOffset(7).build(),
          DeadLetter.newBuilder(TailCommandTest.letter(binaryKey, garbage, Topics.FRAMES.name(), DeadLetterStage.DESERIALIZE,
              "not an Avro single-object encoded VideoFrame\nsecond line")).setPartition(3).setOffset(8).build());
      var bytes = new org.apache.kafka.common.serialization.ByteArraySerializer();
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.settings().producerProperties(), bytes, bytes)) {
        // first a record that is no DeadLetter at all: skipped with a message on stderr, not counted
        producer.send(new ProducerRecord<>(Topics.DLQ.name(), null, new byte[] {1, 2, 3})).get();
        for (DeadLetter letter : letters) {
          byte[] key = letter.getKey() == null ? null : letter.getKey().array();
          producer.send(new ProducerRecord<>(Topics.DLQ.name(), key, AvroSerdes.deadLetterCodec().encode(letter))).get();
        }
      }
      Path saveDir = dir.resolve("dlq");
      String[] args = {"tail", "--dlq", "--from-beginning", "--max-results", "2", "--save-dir", saveDir.toString(),
          "--timeout-ms", "30000", "--bootstrap-servers", broker.bootstrapServers()};
      Run run = tail(args);
      assertEquals(0, run.code(), run.err());
      assertEquals(List.of(
              "DECODE cam-1 seq=41 segstream.frames-2@7 reason=declared JPEG 64x48, data is PNG 30000x30000",
              "DESERIALIZE 0xff0010 seq=- segstream.frames-3@8 reason=not an Avro single-object encoded VideoFrame second line"),
          run.out().lines().toList());
      assertTrue(run.err().contains("skipping segstream.frames.dlq-0@0: not a DeadLetter"), run.err());

      Run json = tail("tail", "--dlq", "--json", "--from-beginning", "--max-results", "2", "--timeout-ms", "30000",
          "--bootstrap-servers", broker.bootstrapServers());
      assertEquals(0, json.code(), json.err());
      List<JsonNode> objects = new java.util.ArrayList<>();
      for (String line : json.out().lines().toList()) {
        objects.add(new ObjectMapper().readTree(line));
      }
      assertEquals(2, objects.size(), json.out());
      assertEquals("DECODE", objects.get(0).get("stage").asText());
      assertEquals("cam-1", objects.get(0).get("stream").asText());
      assertEquals(41, objects.get(0).get("sequence").asLong());
      assertEquals(7, objects.get(0).get("offset").asLong());
      assertEquals("0xff0010", objects.get(1).get("stream").asText());
      assertTrue(objects.get(1).get("sequence").isNull());
      assertEquals("not an Avro single-object encoded VideoFrame\nsecond line", objects.get(1).get("errorMessage").asText(),
          "the whole message, escaped");
      assertArrayEquals(frame, Files.readAllBytes(saveDir.resolve("segstream.frames-2-7.bin")), "the failed value as it was");
      assertArrayEquals(garbage, Files.readAllBytes(saveDir.resolve("segstream.frames-3-8.bin")));

      // the same tail again: the file exists, so it stops with exit code 2 and names the file and the flag
      Run again = tail(args);
      assertEquals(ExitCodes.USAGE, again.code(), again.err());
      assertTrue(again.err().contains("segstream.frames-2-7.bin exists") && again.err().contains("--overwrite"), again.err());
      assertArrayEquals(frame, Files.readAllBytes(saveDir.resolve("segstream.frames-2-7.bin")), "left as it was");

      String[] overwriting = java.util.Arrays.copyOf(args, args.length + 1);
      overwriting[args.length] = "--overwrite";
      Run replaced = tail(overwriting);
      assertEquals(0, replaced.code(), replaced.err());
      assertEquals(2, replaced.out().lines().count());
    }
  }
}
