package org.segstream.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.DeadLetterStage;
import org.segstream.avro.FrameEncoding;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.VideoFrame;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.kafka.AvroSerdes;
import org.segstream.kafka.Topics;
import org.segstream.model.SegmentationModel;
import org.segstream.refine.CrfParams;
import org.segstream.synth.LabelledImage;
import org.segstream.synth.SyntheticScenes;
import org.segstream.testing.TestModels;

/** The processor's topology on a real SavedModel, driven deterministically by TopologyTestDriver. */
class SegmentationTopologyTest {
  private static SegmentationModel model;

  @TempDir Path stateDir;

  @BeforeAll
  static void loadModel() {
    model = SegmentationModel.load(TestModels.tiny());
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  private final class Harness implements AutoCloseable {
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> frames;
    final TestOutputTopic<String, SegmentationResult> masks;
    final TestOutputTopic<byte[], DeadLetter> deadLetters;

    Harness(ProcessorSettings settings) {
      Properties props = new Properties();
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, "segstream-topology-test");
      props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
      driver = new TopologyTestDriver(SegmentationTopology.build(settings, model), props);
      frames = driver.createInputTopic(Topics.FRAMES.name(), new ByteArraySerializer(), new ByteArraySerializer());
      masks =
          driver.createOutputTopic(Topics.MASKS.name(), new StringDeserializer(), AvroSerdes.results().deserializer());
      deadLetters =
          driver.createOutputTopic(Topics.DLQ.name(), new ByteArrayDeserializer(), AvroSerdes.deadLetters().deserializer());
    }

    void send(VideoFrame frame) {
      frames.pipeInput(
          frame.getStreamId().getBytes(StandardCharsets.UTF_8), AvroSerdes.videoFrames().serializer().serialize("t", frame));
    }

    @Override
    public void close() {
      driver.close();
    }
  }

  private static final SyntheticScenes scenes = new SyntheticScenes(42);

  private static VideoFrame frame(String stream, long sequence, int width, int height) {
    LabelledImage scene = scenes.next(width, height);
    return frameWithData(stream, sequence, width, height, ImageCodec.encodeJpeg(scene.image(), 90), false);
  }

  private static VideoFrame frameWithData(String stream, long sequence, int width, int height, byte[] data, boolean eos) {
    return VideoFrame.newBuilder()
        .setStreamId(stream)
        .setSequence(sequence)
        .setCaptureTimeUs(sequence * 33_333)
        .setCaptureWallTimeMs(System.currentTimeMillis())
        .setWidth(width)
        .setHeight(height)
        .setEncoding(FrameEncoding.JPEG)
        .setData(ByteBuffer.wrap(data))
        .setSourceUri("synthetic:" + stream)
        .setDiscontinuity(false)
        .setEndOfStream(eos)
        .build();
  }

  private static ProcessorSettings settings(int batchSize, long delayMs, Refinement refinement) {
    return new ProcessorSettings(batchSize, Duration.ofMillis(delayMs), refinement, 1.0, 4);
  }

  @Test
  void flushesWhenTheBatchIsFull() {
    try (Harness h = new Harness(settings(4, 60_000, Refinement.off()))) {
      for (int i = 0; i < 3; i++) {
        h.send(frame("cam-a", i, 96, 72));
      }
      assertTrue(h.masks.isEmpty(), "three frames of a batch of four wait");
      h.send(frame("cam-a", 3, 96, 72));
      List<SegmentationResult> results = h.masks.readValuesToList();
      assertEquals(4, results.size());
      for (int i = 0; i < 4; i++) {
        SegmentationResult r = results.get(i);
        assertEquals(i, r.getSequence());
        assertEquals("cam-a", r.getStreamId());
        assertEquals(4, r.getBatchSize());
        assertEquals(96, r.getWidth());
        assertEquals(72, r.getHeight());
        assertFalse(r.getRefined());
        assertFalse(r.getEndOfStream());
        assertEquals(List.of("object", "background", "border"), r.getClassNames());
        assertEquals(model.metadata().name(), r.getModel().getName());
        LabelMap labels = ImageCodec.decodePngGray(toArray(r.getLabelMapPng()));
        assertEquals(96, labels.width());
        assertEquals(72, labels.height());
        float sum = 0;
        for (float f : r.getClassFractions()) {
          sum += f;
        }
        assertEquals(1f, sum, 1e-4f);
        assertTrue(r.getTimings().getInferenceMs() > 0, "inference time recorded");
        assertTrue(r.getTimings().getDecodeMs() > 0, "decode time recorded");
        assertTrue(r.getResultWallTimeMs() >= r.getCaptureWallTimeMs());
      }
      assertTrue(h.deadLetters.isEmpty());
    }
  }

  @Test
  void flushesAPartialBatchAfterTheMaxDelay() {
    try (Harness h = new Harness(settings(8, 20, Refinement.off()))) {
      h.send(frame("cam-a", 0, 80, 60));
      h.send(frame("cam-b", 0, 64, 48));
      assertTrue(h.masks.isEmpty());
      h.driver.advanceWallClockTime(Duration.ofMillis(50));
      List<SegmentationResult> results = h.masks.readValuesToList();
      assertEquals(2, results.size(), "both frames flushed by the wall-clock punctuator");
      assertEquals("cam-a", results.get(0).getStreamId());
      assertEquals(80, results.get(0).getWidth());
      assertEquals("cam-b", results.get(1).getStreamId());
      assertEquals(48, results.get(1).getHeight());
      assertEquals(2, results.get(0).getBatchSize(), "frames of two streams share one session call");
    }
  }

  @Test
  void corruptJpegGoesToTheDeadLetterTopicAndTheBatchGoesOn() {
    try (Harness h = new Harness(settings(3, 60_000, Refinement.off()))) {
      byte[] garbage = "this is not a JPEG at all".getBytes(StandardCharsets.UTF_8);
      h.send(frame("cam-a", 0, 96, 72));
      h.send(frameWithData("cam-a", 1, 96, 72, garbage, false));
      h.send(frame("cam-a", 2, 96, 72));
      List<SegmentationResult> results = h.masks.readValuesToList();
      assertEquals(List.of(0L, 2L), results.stream().map(SegmentationResult::getSequence).toList());
      List<DeadLetter> letters = h.deadLetters.readValuesToList();
      assertEquals(1, letters.size());
      DeadLetter letter = letters.get(0);
      assertEquals(DeadLetterStage.DECODE, letter.getStage());
      assertEquals(Topics.FRAMES.name(), letter.getTopic());
      assertEquals(1L, letter.getOffset());
      assertEquals("cam-a", new String(toArray(letter.getKey()), StandardCharsets.UTF_8));
      VideoFrame original = AvroSerdes.videoFrames().deserializer().deserialize("t", toArray(letter.getValue()));
      assertEquals(1L, original.getSequence(), "the dead letter carries the original record");
      assertFalse(letter.getErrorMessage().isBlank());
    }
  }

  @Test
  void bytesThatAreNotAVideoFrameAreDeadLetteredAtOnce() {
    try (Harness h = new Harness(settings(2, 60_000, Refinement.off()))) {
      byte[] junk = "{\"json\": \"not avro\"}".getBytes(StandardCharsets.UTF_8);
      h.frames.pipeInput("cam-x".getBytes(StandardCharsets.UTF_8), junk);
      List<DeadLetter> letters = h.deadLetters.readValuesToList();
      assertEquals(1, letters.size());
      assertEquals(DeadLetterStage.DESERIALIZE, letters.get(0).getStage());
      assertArrayEquals(junk, toArray(letters.get(0).getValue()));
      assertEquals(0L, letters.get(0).getOffset());
      // the processor goes on with the next good frames
      h.send(frame("cam-x", 0, 64, 64));
      h.send(frame("cam-x", 1, 64, 64));
      assertEquals(2, h.masks.readValuesToList().size());
    }
  }

  @Test
  void endOfStreamIsForwardedAfterTheStreamsFrames() {
    try (Harness h = new Harness(settings(8, 60_000, Refinement.off()))) {
      h.send(frame("cam-a", 0, 64, 48));
      h.send(frame("cam-a", 1, 64, 48));
      h.send(frameWithData("cam-a", 2, 64, 48, new byte[0], true));
      List<SegmentationResult> results = h.masks.readValuesToList();
      assertEquals(3, results.size(), "end of stream flushes the buffer");
      assertEquals(List.of(0L, 1L, 2L), results.stream().map(SegmentationResult::getSequence).toList());
      SegmentationResult eos = results.get(2);
      assertTrue(eos.getEndOfStream());
      assertEquals(0, eos.getLabelMapPng().remaining());
      assertFalse(results.get(1).getEndOfStream());
    }
  }

  @Test
  void crfRefinementRunsAndIsRecorded() {
    try (Harness h = new Harness(settings(2, 60_000, new Refinement.Crf(CrfParams.REFERENCE, 64)))) {
      h.send(frame("cam-a", 0, 128, 96));
      h.send(frame("cam-a", 1, 128, 96));
      List<SegmentationResult> results = h.masks.readValuesToList();
      assertEquals(2, results.size());
      for (SegmentationResult r : results) {
        assertTrue(r.getRefined());
        assertTrue(r.getTimings().getRefineMs() > 0);
        LabelMap labels = ImageCodec.decodePngGray(toArray(r.getLabelMapPng()));
        assertEquals(128, labels.width(), "refined at 64 px, labels back at frame size");
        for (var c : r.getContours()) {
          assertTrue(c.getClassIndex() >= 0 && c.getClassIndex() < r.getClassNames().size(), "class " + c.getClassIndex());
          var xs = c.getOuter().getXs();
          assertTrue(xs.size() >= 3 && xs.size() == c.getOuter().getYs().size(), "a closed outline");
          assertTrue(xs.stream().allMatch(x -> x >= 0 && x < 128), "outline inside the frame: " + xs);
        }
      }
    }
  }

  static byte[] toArray(ByteBuffer buffer) {
    ByteBuffer dup = buffer.duplicate();
    byte[] out = new byte[dup.remaining()];
    dup.get(out);
    return out;
  }

  static List<Long> sequences(List<SegmentationResult> results) {
    List<Long> out = new ArrayList<>();
    results.forEach(r -> out.add(r.getSequence()));
    return out;
  }
}
