package org.segstream.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.segstream.avro.Box;
import org.segstream.avro.Contour;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.DeadLetterStage;
import org.segstream.avro.FrameEncoding;
import org.segstream.avro.Instance;
import org.segstream.avro.Polygon;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.VideoFrame;
import org.segstream.cli.TailResults;
import org.segstream.kafka.AvroSerdes;

/** {@code tail --json}: each line parses back as one JSON object with the record's values. */
class ResultJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode parse(String line) throws Exception {
    assertFalse(line.contains("\n"), "one line: " + line);
    JsonNode node = JSON.readTree(line);
    assertTrue(node.isObject(), line);
    return node;
  }

  /** A frame the latency budget left a part of out says which and why, in JSON and in tail's line. */
  @Test
  void aResultSaysWhatTheLatencyBudgetLeftOut() throws Exception {
    SegmentationResult full = TailResults.result("cam-1", 3, 1_000_000, 40, TailResults.labels(1));
    assertTrue(parse(ResultJson.describe(full)).get("leftOut").isNull());
    assertFalse(ResultLines.describe(full).contains("left-out"));
    SegmentationResult unrefined = SegmentationResult.newBuilder(full)
        .setLeftOut(new org.segstream.avro.LeftOut(org.segstream.avro.LeftOutPart.REFINEMENT, "not refined: 12 ms left"))
        .build();
    JsonNode o = parse(ResultJson.describe(unrefined));
    assertEquals("REFINEMENT", o.get("leftOut").get("part").asText());
    assertEquals("not refined: 12 ms left", o.get("leftOut").get("reason").asText());
    assertTrue(ResultLines.describe(unrefined).endsWith(" left-out=REFINEMENT (not refined: 12 ms left)"),
        ResultLines.describe(unrefined));
  }

  @Test
  void aResultHasItsTimesClassesContoursInstancesAndVersion() throws Exception {
    Polygon square = new Polygon(List.of(0, 1, 1, 0), List.of(0, 0, 1, 1));
    SegmentationResult result = SegmentationResult.newBuilder(TailResults.result("cam-1", 12, 1_000_000, 143, TailResults.labels(1)))
        .setContours(List.of(new Contour(0, 2.0, square, List.of()), new Contour(2, 1.0, square, List.of()),
            new Contour(0, 1.0, square, List.of())))
        .setInstances(List.of(new Instance(7L, 0, 3, new Box(0, 0, 2, 1), 0.5f, 0.25f, 0)))
        .setProducerVersion("1.2.3")
        .build();
    JsonNode o = parse(ResultJson.describe(result));
    assertEquals("cam-1", o.get("stream").asText());
    assertEquals(12, o.get("sequence").asLong());
    assertEquals(12 * 33_333, o.get("captureTimeUs").asLong());
    assertEquals(1_000_000, o.get("captureWallTimeMs").asLong());
    assertEquals(1_000_143, o.get("resultWallTimeMs").asLong());
    assertEquals(143, o.get("latencyMs").asLong());
    assertEquals(4, o.get("width").asInt());
    assertEquals(2, o.get("height").asInt());
    assertFalse(o.get("endOfStream").asBoolean());
    List<String> names = new ArrayList<>();
    o.get("classes").forEach(c -> names.add(c.get("name").asText()));
    assertEquals(List.of("pet", "background", "border"), names);
    for (int k = 0; k < 3; k++) {
      JsonNode c = o.get("classes").get(k);
      assertEquals(k, c.get("index").asInt());
      assertEquals(result.getClassFractions().get(k), (float) c.get("fraction").asDouble(), "the published float, class " + k);
    }
    assertEquals(0.25, o.get("classes").get(0).get("fraction").asDouble(), 0, "no float widening noise");
    assertEquals(2, o.get("classes").get(0).get("contours").asInt());
    assertEquals(0, o.get("classes").get(1).get("contours").asInt());
    assertEquals(1, o.get("classes").get(2).get("contours").asInt());
    assertEquals(3, o.get("contours").asInt());
    assertFalse(o.get("contoursDropped").asBoolean());
    assertEquals(2, o.get("batchSize").asInt());
    assertEquals("pets-live", o.at("/model/name").asText());
    assertEquals(3.0, o.at("/timingsMs/inference").asDouble());
    JsonNode instance = o.get("instances").get(0);
    assertEquals(1, o.get("instances").size());
    assertEquals(7, instance.get("id").asLong());
    assertEquals("pet", instance.get("className").asText());
    assertEquals(3, instance.get("area").asInt());
    assertEquals(2, instance.at("/box/width").asInt());
    assertEquals(0.5, instance.get("centroidX").asDouble());
    assertEquals(0.25, instance.get("centroidY").asDouble());
    assertEquals(0, instance.get("contourIndex").asInt());
    assertEquals("1.2.3", o.get("producerVersion").asText());
    assertFalse(o.has("labelMapPng"), "the label map stays out of the line");
  }

  @Test
  void everyResultHasTheSameKeysEndOfStreamAndOldResultsIncluded() throws Exception {
    JsonNode full = parse(ResultJson.describe(TailResults.result("cam", 0, 0, 1, TailResults.labels(0))));
    JsonNode end = parse(ResultJson.describe(TailResults.endOfStream("cam", 5)));
    List<String> fullKeys = new ArrayList<>();
    full.fieldNames().forEachRemaining(fullKeys::add);
    List<String> endKeys = new ArrayList<>();
    end.fieldNames().forEachRemaining(endKeys::add);
    assertEquals(fullKeys, endKeys);
    assertTrue(end.get("endOfStream").asBoolean());
    assertTrue(full.get("producerVersion").isNull(), "a result from before the version was recorded: null");
    assertEquals(0, full.get("instances").size());
    assertTrue(end.get("classes").get(0).get("fraction").isNull(), "an end of stream carries no fractions");
  }

  @Test
  void textFromRecordDataIsEscapedNotCut() throws Exception {
    String stream = "cam \"1\"\n\u001b[31m";
    JsonNode o = parse(ResultJson.describe(SegmentationResult.newBuilder(TailResults.result("x", 1, 0, 1, TailResults.labels(0)))
        .setStreamId(stream).build()));
    assertEquals(stream, o.get("stream").asText());
  }

  @Test
  void aDeadLetterHasItsPositionReasonAndTheFramesSequence() throws Exception {
    byte[] frame = AvroSerdes.frameCodec().encode(VideoFrame.newBuilder().setStreamId("cam-1").setSequence(17)
        .setCaptureTimeUs(0).setCaptureWallTimeMs(0).setWidth(2).setHeight(2).setEncoding(FrameEncoding.JPEG)
        .setData(ByteBuffer.wrap(new byte[] {1, 2, 3})).setSourceUri("test").build());
    DeadLetter letter = DeadLetter.newBuilder()
        .setKey(null)
        .setValue(ByteBuffer.wrap(frame))
        .setTopic("segstream.frames")
        .setPartition(2)
        .setOffset(1234)
        .setStage(DeadLetterStage.DECODE)
        .setErrorClass("org.segstream.image.ImageDecodeException")
        .setErrorMessage("not a JPEG\nsecond line")
        .setTimeMs(99)
        .build();
    JsonNode o = parse(ResultJson.describe(letter, "cam-1".getBytes(StandardCharsets.UTF_8), frame));
    assertEquals("DECODE", o.get("stage").asText());
    assertEquals("cam-1", o.get("stream").asText(), "the record's key when the letter has none");
    assertEquals(17, o.get("sequence").asLong());
    assertEquals("segstream.frames", o.get("topic").asText());
    assertEquals(2, o.get("partition").asInt());
    assertEquals(1234, o.get("offset").asLong());
    assertEquals("not a JPEG\nsecond line", o.get("errorMessage").asText());
    assertEquals(99, o.get("timeMs").asLong());
    assertEquals(frame.length, o.get("valueBytes").asInt());

    JsonNode garbage = parse(ResultJson.describe(DeadLetter.newBuilder(letter).setStage(DeadLetterStage.DESERIALIZE).build(),
        null, new byte[] {1, 2}));
    assertTrue(garbage.get("sequence").isNull());
    assertTrue(garbage.get("stream").isNull());
  }
}
