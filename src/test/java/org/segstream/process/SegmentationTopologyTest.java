package org.segstream.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.DeadLetterStage;
import org.segstream.avro.FrameEncoding;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.VideoFrame;
import org.segstream.image.EncodedImage;
import org.segstream.image.ImageCodec;
import org.segstream.image.ImageEncoding;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;
import org.segstream.kafka.AvroSerdes;
import org.segstream.kafka.RecordValues;
import org.segstream.kafka.ResultRecords;
import org.segstream.kafka.SchemaRegistryClient;
import org.segstream.kafka.SchemaRegistrySettings;
import org.segstream.kafka.Topics;
import org.segstream.kafka.ValueFormat;
import org.segstream.model.SegmentationModel;
import org.segstream.refine.CrfParams;
import org.segstream.segment.FailureStage;
import org.segstream.segment.FrameOutcome;
import org.segstream.segment.FrameSegmenter;
import org.segstream.segment.Refinement;
import org.segstream.synth.LabelledImage;
import org.segstream.synth.SyntheticScenes;
import org.segstream.synth.TrackingClip;
import org.segstream.telemetry.PipelineMetrics;
import org.segstream.testing.BadImages;
import org.segstream.testing.TestModels;
import org.segstream.track.StreamTrackers;
import org.segstream.track.TrackedInstance;
import org.segstream.track.Tracker;
import org.segstream.track.TrackerSettings;

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
    /** The real time the driver's mock wall clock started at. */
    long driverStartMs;
    final TestInputTopic<byte[], byte[]> frames;
    final TestOutputTopic<String, SegmentationResult> masks;
    final TestOutputTopic<byte[], DeadLetter> deadLetters;

    Harness(ProcessorSettings settings) {
      this(settings, RecordValues.SINGLE_OBJECT, null);
    }

    Harness(ProcessorSettings settings, RecordValues values) {
      this(settings, values, null);
    }

    /** With {@code inference}, batches overlap as in the service: results come as batches finish. */
    Harness(ProcessorSettings settings, Executor inference) {
      this(settings, RecordValues.SINGLE_OBJECT, inference);
    }

    Harness(ProcessorSettings settings, RecordValues values, Executor inference) {
      this(settings, values, inference, model);
    }

    Harness(ProcessorSettings settings, RecordValues values, Executor inference, SegmentationModel model) {
      Properties props = new Properties();
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, "segstream-topology-test");
      props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
      driverStartMs = System.currentTimeMillis();
      driver = new TopologyTestDriver(inference == null ? SegmentationTopology.build(settings, model, PipelineMetrics.NONE, values)
          : SegmentationTopology.build(settings, model, PipelineMetrics.NONE, values, inference), props);
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
  void theFirstTransactionOpensBeforeTheFirstFrameWithATombstoneForNoSlot() {
    try (Harness h = new Harness(settings(1, 60_000, Refinement.off()))) {
      TestOutputTopic<Long, byte[]> changelog = h.driver.createOutputTopic(
          "segstream-topology-test-" + SegmentationTopology.BUFFER_STORE + "-changelog",
          new LongDeserializer(), new ByteArrayDeserializer());
      assertTrue(changelog.isEmpty(), "nothing written before the task's first punctuation");
      h.driver.advanceWallClockTime(Duration.ofMillis(2));
      List<KeyValue<Long, byte[]>> written = changelog.readKeyValuesToList();
      assertEquals(1, written.size(), "one record: the tombstone");
      assertEquals(FrameBatchProcessor.NO_FRAME_SLOT, written.get(0).key);
      assertNull(written.get(0).value);
      h.driver.advanceWallClockTime(Duration.ofMillis(10));
      assertTrue(changelog.isEmpty(), "only once");
      assertTrue(h.masks.isEmpty(), "no result without a frame");
      assertTrue(h.deadLetters.isEmpty());

      h.send(frame("cam-a", 0, 96, 72));
      h.driver.advanceWallClockTime(Duration.ofMillis(2));
      assertEquals(List.of(0L), h.masks.readValuesToList().stream().map(SegmentationResult::getSequence).toList(),
          "the slots of frames start at 0, after the tombstone's");
    }
  }

  @Test
  void aRegistryThatDoesNotAnswerStopsTheProcessorAndDeadLettersNothing() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    SchemaRegistrySettings down = new SchemaRegistrySettings(
        URI.create("http://127.0.0.1:" + closedPort), null, Map.of(), true, Duration.ofMillis(300));
    RecordValues values = RecordValues.of(ValueFormat.CONFLUENT, new SchemaRegistryClient(down));
    try (Harness h = new Harness(settings(1, 60_000, Refinement.off()), values)) {
      byte[] body = AvroSerdes.frameCodec().encodeBody(frame("cam-a", 0, 96, 72));
      byte[] framed = ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(3).put(body).array();
      StreamsException e = assertThrows(StreamsException.class,
          () -> h.frames.pipeInput("cam-a".getBytes(StandardCharsets.UTF_8), framed));
      Throwable cause = e;
      while (cause != null && !(cause instanceof SchemaRegistryClient.Unavailable)) {
        cause = cause.getCause();
      }
      assertTrue(cause != null, "the registry's failure stops the task: " + e);
      assertTrue(h.deadLetters.isEmpty(), "a good frame is never dead-lettered because the registry is down");
      assertTrue(h.masks.isEmpty());
    }
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
        assertEquals(System.getProperty("segstream.version"), r.getProducerVersion(), "the result names the build that made it");
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

  /**
   * Frames of two streams, 16:9 and 9:16, in one batch of an aspect-true model: one model call per
   * shape (two frames each), every result in the batch's order at its own frame's size.
   */
  @Test
  void aBatchOfTwoStreamsOfDifferentShapesKeepsItsOrder(@TempDir Path modelCopy) throws Exception {
    try (SegmentationModel aspectTrue =
            SegmentationModel.load(TestModels.withAspectTrueInput(TestModels.tiny(), modelCopy, 224, 32));
        Harness h = new Harness(settings(4, 60_000, Refinement.off()), RecordValues.SINGLE_OBJECT, null, aspectTrue)) {
      h.send(frame("cam-wide", 0, 640, 360));
      h.send(frame("cam-tall", 0, 360, 640));
      h.send(frame("cam-tall", 1, 360, 640));
      h.send(frame("cam-wide", 1, 640, 360));
      List<SegmentationResult> results = h.masks.readValuesToList();
      assertEquals(List.of("cam-wide/0", "cam-tall/0", "cam-tall/1", "cam-wide/1"),
          results.stream().map(r -> r.getStreamId() + "/" + r.getSequence()).toList());
      for (SegmentationResult r : results) {
        boolean wide = r.getStreamId().equals("cam-wide");
        LabelMap labels = ImageCodec.decodePngGray(toArray(r.getLabelMapPng()));
        assertEquals(wide ? 640 : 360, labels.width(), r.getStreamId());
        assertEquals(wide ? 360 : 640, labels.height(), r.getStreamId());
        assertEquals(wide ? 640 : 360, r.getWidth(), r.getStreamId());
        assertEquals(2, r.getBatchSize(), "frames that shared a model call: " + r.getStreamId());
      }
      assertTrue(h.deadLetters.isEmpty());
    }
  }

  /**
   * Overlapping batches (the model on one, the frame workers on the one before): every frame gets
   * exactly one result, each stream's in sequence order with its end of stream last, forwarded from
   * the task's thread as the wall-clock punctuator finds batches finished.
   */
  @Test
  void overlappingBatchesForwardEveryResultOnceInOrder() throws Exception {
    ExecutorService inference = Executors.newSingleThreadExecutor();
    try (Harness h = new Harness(settings(2, 60_000, new Refinement.Crf(CrfParams.TUNED, 64)), inference)) {
      int frames = 12;
      for (int i = 0; i < frames; i++) {
        h.send(frame(i % 2 == 0 ? "cam-a" : "cam-b", i / 2, 96, 72));
      }
      h.send(frameWithData("cam-a", frames / 2, -1, -1, new byte[0], true));
      h.send(frameWithData("cam-b", frames / 2, -1, -1, new byte[0], true));
      List<SegmentationResult> results = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (results.size() < frames + 2 && System.nanoTime() < deadline) {
        h.driver.advanceWallClockTime(Duration.ofMillis(2));
        results.addAll(h.masks.readValuesToList());
      }
      assertEquals(frames + 2, results.size(), "one result per frame and per end of stream");
      for (String stream : List.of("cam-a", "cam-b")) {
        List<SegmentationResult> own = results.stream().filter(r -> r.getStreamId().equals(stream)).toList();
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), own.stream().map(SegmentationResult::getSequence).toList(), stream);
        assertTrue(own.get(own.size() - 1).getEndOfStream(), stream + " ends with its end of stream");
        assertTrue(own.subList(0, own.size() - 1).stream().allMatch(SegmentationResult::getRefined), stream);
      }
      assertTrue(h.deadLetters.isEmpty());
    } finally {
      inference.shutdownNow();
    }
  }

  /**
   * With overlapping batches a frame does not wait out the batch delay when the model has nothing of the task's
   * before it: it goes alone, at once. Frames that arrive while the model is busy wait and go together after.
   */
  @Test
  void aFrameGoesToAFreeModelAtOnceAndFramesBatchWhileItIsBusy() throws Exception {
    ExecutorService inference = Executors.newSingleThreadExecutor();
    CountDownLatch modelHeld = new CountDownLatch(1);
    try (Harness h = new Harness(settings(8, 60_000, Refinement.off()), inference)) {
      // the model thread is busy (as with another task's batch) until released
      inference.execute(() -> {
        try {
          modelHeld.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      h.send(frame("cam", 0, 96, 72));
      for (int i = 1; i <= 3; i++) {
        h.send(frame("cam", i, 96, 72));
      }
      modelHeld.countDown();
      List<SegmentationResult> results = new ArrayList<>();
      // 60 s of real time at most, but never as much as the batch delay on the driver's clock
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      for (int step = 0; results.size() < 4 && System.nanoTime() < deadline && step < 5_000; step++) {
        h.driver.advanceWallClockTime(Duration.ofMillis(2));
        results.addAll(h.masks.readValuesToList());
        if (results.size() < 4) {
          Thread.sleep(1); // the model and the frame workers run on threads of their own
        }
      }
      assertEquals(List.of(0L, 1L, 2L, 3L), results.stream().map(SegmentationResult::getSequence).toList(),
          "every frame's result within 10 s of the driver's clock, well under the 60 s batch delay");
      assertEquals(List.of(1, 3, 3, 3), results.stream().map(SegmentationResult::getBatchSize).toList(),
          "the first frame went alone; the three that came while it waited for the model went together");
    } finally {
      inference.shutdownNow();
    }
  }

  /**
   * While two batches are in the model, the task's thread does not wait for it: a fresh frame waits in the buffer
   * for the model, and a frame of another stream that can no longer make its budget is skipped on arrival. Its
   * result leaves at once, while the model still holds the first stream's frames; each stream's results stay in order.
   */
  @Test
  void whileTheModelIsBusyTheTaskDoesNotWaitAndAHopelessFrameIsSkippedOnArrival() throws Exception {
    ExecutorService inference = Executors.newSingleThreadExecutor();
    CountDownLatch modelHeld = new CountDownLatch(1);
    // a budget far above a cold first model call on a loaded machine, far below the stale frame's 60 s
    ProcessorSettings settings = settings(1, 60_000, Refinement.off()).withLatencyBudget(Duration.ofMillis(12_500));
    try (Harness h = new Harness(settings, inference)) {
      h.send(frame("cam-a", 0, 96, 72));
      List<SegmentationResult> results = new ArrayList<>(drain(h, 1));
      assertEquals(1, results.size(), "the first frame measures the model");
      inference.execute(() -> {
        try {
          modelHeld.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      try {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
          for (int i = 1; i <= 3; i++) {
            h.send(frame("cam-a", i, 96, 72)); // #1 and #2 go to the model, #3 waits for it
          }
          h.send(VideoFrame.newBuilder(frame("cam-b", 0, 96, 72)).setCaptureWallTimeMs(System.currentTimeMillis() - 60_000)
              .build());
        }, "the task's thread returned while the model was held");
        results.addAll(drain(h, 1));
      } finally {
        modelHeld.countDown();
      }
      results.addAll(drain(h, 3));
      assertEquals(List.of("cam-a#0", "cam-b#0", "cam-a#1", "cam-a#2", "cam-a#3"),
          results.stream().map(r -> r.getStreamId() + "#" + r.getSequence()).toList(),
          "cam-b's skipped frame left while the model held cam-a's");
      SegmentationResult skipped = results.get(1);
      assertEquals(org.segstream.avro.LeftOutPart.SEGMENTATION, skipped.getLeftOut().getPart());
      assertTrue(results.stream().filter(r -> r.getStreamId().equals("cam-a")).allMatch(r -> r.getLabelMapPng().remaining() > 0),
          "every fresh frame segmented");
    } finally {
      modelHeld.countDown();
      inference.shutdownNow();
    }
  }

  /** Steps the driver's clock until {@code n} more results are out (60 s of real time at most). */
  private static List<SegmentationResult> drain(Harness h, int n) throws InterruptedException {
    List<SegmentationResult> results = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    for (int step = 0; results.size() < n && System.nanoTime() < deadline && step < 20_000; step++) {
      h.driver.advanceWallClockTime(Duration.ofMillis(2));
      results.addAll(h.masks.readValuesToList());
      if (results.size() < n) {
        Thread.sleep(1); // the model and the frame workers run on threads of their own
      }
    }
    return results;
  }

  /**
   * A frame captured longer ago than the latency budget is skipped: it still gets exactly one result,
   * without a label map, saying what was left out and why; a fresh frame of the same batch is
   * segmented in full.
   */
  @Test
  void aFrameOlderThanTheBudgetGetsASkippedResultInItsPlace() {
    ProcessorSettings settings = settings(2, 60_000, new Refinement.Crf(CrfParams.TUNED, 64))
        .withLatencyBudget(Duration.ofMillis(2_500));
    try (Harness h = new Harness(settings)) {
      // nothing is skipped before the model has been measured once: a first batch of stale frames goes through
      // the model (its second frame may go unrefined when the first one's refinement was measured before it)
      for (int i = 0; i < 2; i++) {
        h.send(VideoFrame.newBuilder(frame("cam-a", i, 96, 72)).setCaptureWallTimeMs(System.currentTimeMillis() - 60_000)
            .build());
      }
      List<SegmentationResult> first = h.masks.readValuesToList();
      assertEquals(2, first.size());
      assertTrue(first.stream().allMatch(r -> r.getLabelMapPng().remaining() > 0
          && (r.getLeftOut() == null || r.getLeftOut().getPart() != org.segstream.avro.LeftOutPart.SEGMENTATION)),
          "the first batch is segmented, so the model is measured: " + first.stream().map(r -> String.valueOf(r.getLeftOut())).toList());
      VideoFrame stale = VideoFrame.newBuilder(frame("cam-a", 2, 96, 72))
          .setCaptureWallTimeMs(System.currentTimeMillis() - 60_000).build();
      h.send(stale);
      h.send(frame("cam-a", 3, 96, 72));
      List<SegmentationResult> results = h.masks.readValuesToList();
      assertEquals(List.of(2L, 3L), results.stream().map(SegmentationResult::getSequence).toList());
      SegmentationResult skipped = results.get(0);
      assertEquals(org.segstream.avro.LeftOutPart.SEGMENTATION, skipped.getLeftOut().getPart());
      assertTrue(skipped.getLeftOut().getReason().contains("2500 ms latency budget"), skipped.getLeftOut().getReason());
      assertEquals(0, skipped.getLabelMapPng().remaining());
      assertFalse(skipped.getRefined());
      assertFalse(skipped.getEndOfStream());
      SegmentationResult fresh = results.get(1);
      assertEquals(null, fresh.getLeftOut(), "fully processed");
      assertTrue(fresh.getRefined());
      assertTrue(fresh.getLabelMapPng().remaining() > 0);
      assertTrue(h.deadLetters.isEmpty());
    }
  }

  @Test
  void resultsCarryTheInstancesTheirOwnLabelsGiveFollowedAcrossFramesAndTrackingOffLeavesThemOut() {
    TrackingClip clip = new TrackingClip(TrackingClip.Scene.CROSSING, 3, 128, 72);
    List<VideoFrame> frames = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      byte[] jpeg = ImageCodec.encodeJpeg(clip.frame(i * 7).labelled().image(), 90);
      VideoFrame f = frameWithData("cam-t", i, 128, 72, jpeg, false);
      f.setDiscontinuity(i == 8); // a gap before frame 8: ids start afresh there
      frames.add(f);
    }
    frames.add(frameWithData("cam-t", 12, 128, 72, new byte[0], true));
    List<SegmentationResult> on;
    try (Harness h = new Harness(settings(4, 60_000, Refinement.off()))) {
      frames.forEach(h::send);
      on = h.masks.readValuesToList();
    }
    assertEquals(13, on.size());
    // the same tracker fed each result's own labels and contours gives the same instances
    StreamTrackers replay = new StreamTrackers(new TrackerSettings(model.metadata().backgroundClass(), 4, 30, 1));
    int instances = 0;
    for (SegmentationResult r : on.subList(0, 12)) {
      List<TrackedInstance> expected = replay.update("cam-t", r.getSequence(), r.getSequence() == 8, ResultRecords.labels(r),
          ResultRecords.contours(r));
      assertEquals(expected, ResultRecords.instances(r), "frame " + r.getSequence());
      instances += expected.size();
      for (TrackedInstance i : expected) {
        assertTrue(r.getSequence() < 8 ? i.id() < Tracker.ID_STRIDE : i.id() > 8 * Tracker.ID_STRIDE, "ids of the epoch: " + i);
        assertTrue(i.contourIndex() < r.getContours().size(), i.toString());
      }
    }
    assertTrue(instances > 0, "the model finds something to track");
    assertTrue(on.get(12).getEndOfStream());
    assertEquals(List.of(), on.get(12).getInstances());

    try (Harness h = new Harness(settings(4, 60_000, Refinement.off()).withTracking(false, 1))) {
      frames.forEach(h::send);
      assertTrue(h.masks.readValuesToList().stream().allMatch(r -> r.getInstances().isEmpty()), "tracking off");
    }
  }

  @Test
  void flushesAPartialBatchAfterTheMaxDelay() {
    try (Harness h = new Harness(settings(8, 20, Refinement.off()))) {
      h.send(frame("cam-a", 0, 80, 60));
      h.send(frame("cam-b", 0, 64, 48));
      assertTrue(h.masks.isEmpty());
      // frames are dated by the real clock, the punctuator by the driver's mock clock, which started
      // when the driver was built: move it past the real time that has gone by since, plus the delay
      h.driver.advanceWallClockTime(Duration.ofMillis(System.currentTimeMillis() - h.driverStartMs + 50));
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
      // refused at the edge by its header: dead-lettered at once, never buffered
      List<DeadLetter> letters = h.deadLetters.readValuesToList();
      assertEquals(1, letters.size());
      h.send(frame("cam-a", 2, 96, 72));
      h.send(frame("cam-a", 3, 96, 72));
      List<SegmentationResult> results = h.masks.readValuesToList();
      assertEquals(List.of(0L, 2L, 3L), results.stream().map(SegmentationResult::getSequence).toList());
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

  /** A frame record with any field values, serialised as the wire has it. */
  static byte[] frameBytes(String stream, int width, int height, FrameEncoding encoding, byte[] data, boolean eos) {
    VideoFrame f = VideoFrame.newBuilder(frameWithData(stream, 0, 1, 1, data, eos))
        .setWidth(width).setHeight(height).setEncoding(encoding).build();
    return AvroSerdes.videoFrames().serializer().serialize("t", f);
  }

  static Stream<Arguments> badRecords() {
    byte[] jpeg = BadImages.jpeg(64, 48);
    byte[] fifteenBytes = new byte[15];
    fifteenBytes[0] = (byte) 0xC3;
    fifteenBytes[1] = 0x01;
    long fp = AvroSerdes.frameCodec().fingerprint();
    for (int i = 0; i < 8; i++) {
      fifteenBytes[2 + i] = (byte) (fp >>> (8 * i));
    }
    long zz = 4_000_000_000L; // zig-zag of 2,000,000,000
    for (int i = 10; i < 15; i++, zz >>>= 7) {
      fifteenBytes[i] = (byte) ((zz & 0x7f) | (i < 14 ? 0x80 : 0));
    }
    return Stream.of(
        Arguments.of("tombstone", null, DeadLetterStage.DESERIALIZE, "tombstone"),
        Arguments.of("empty bytes", new byte[0], DeadLetterStage.DESERIALIZE, "expected the header C3 01"),
        Arguments.of("a 2e9-byte string in 15 bytes", fifteenBytes, DeadLetterStage.DESERIALIZE, "2000000000 bytes declared"),
        Arguments.of("JPEG declaring 30000x30000", frameBytes("cam", 64, 48, FrameEncoding.JPEG,
            BadImages.jpegDeclaring(30000, 30000), false), DeadLetterStage.DECODE, "900000000 pixels is over the cap"),
        Arguments.of("JPEG declaring 30000x30000, record too", frameBytes("cam", 30000, 30000, FrameEncoding.JPEG,
            BadImages.jpegDeclaring(30000, 30000), false), DeadLetterStage.DECODE, "over the cap of 40000000 pixels"),
        Arguments.of("PNG declaring 30000x30000", frameBytes("cam", 64, 48, FrameEncoding.PNG,
            BadImages.pngDeclaring(30000, 30000), false), DeadLetterStage.DECODE, "over the cap"),
        Arguments.of("encoding PNG, content JPEG", frameBytes("cam", 64, 48, FrameEncoding.PNG, jpeg, false),
            DeadLetterStage.DECODE, "declares encoding PNG but its data is a JPEG"),
        Arguments.of("declared size not the header's", frameBytes("cam", 640, 480, FrameEncoding.JPEG, jpeg, false),
            DeadLetterStage.DECODE, "declares 640x480 but its JPEG header says 64x48"),
        Arguments.of("width 0", frameBytes("cam", 0, 48, FrameEncoding.JPEG, jpeg, false),
            DeadLetterStage.DESERIALIZE, "0x48"),
        Arguments.of("negative height", frameBytes("cam", 64, -48, FrameEncoding.JPEG, jpeg, false),
            DeadLetterStage.DESERIALIZE, "64x-48"),
        Arguments.of("RAW_BGR 65536x65536", frameBytes("cam", 65536, 65536, FrameEncoding.RAW_BGR, new byte[12], false),
            DeadLetterStage.DECODE, "4294967296 pixels is over the cap"),
        Arguments.of("RAW_BGR of the wrong length", frameBytes("cam", 4, 4, FrameEncoding.RAW_BGR, new byte[47], false),
            DeadLetterStage.DECODE, "which is 48 bytes, but holds 47"),
        Arguments.of("truncated JPEG", frameBytes("cam", 64, 48, FrameEncoding.JPEG, BadImages.truncated(jpeg, 0.6), false),
            DeadLetterStage.DECODE, "truncated JPEG"),
        Arguments.of("no data, not the end of the stream", frameBytes("cam", 64, 48, FrameEncoding.JPEG, new byte[0], false),
            DeadLetterStage.DESERIALIZE, "has no data"),
        Arguments.of("a 300-byte stream id", frameBytes("c".repeat(300), 64, 48, FrameEncoding.JPEG, jpeg, false),
            DeadLetterStage.DESERIALIZE, "streamId of 300 bytes"),
        Arguments.of("garbage image bytes", frameBytes("cam", 64, 48, FrameEncoding.JPEG, new byte[] {1, 2, 3, 4, 5}, false),
            DeadLetterStage.DECODE, "not a JPEG, PNG"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRecords")
  void aBadRecordBecomesOneDeadLetterWithItsStageAndTheNextFramesGoOn(
      String name, byte[] value, DeadLetterStage stage, String reason) {
    try (Harness h = new Harness(settings(2, 60_000, Refinement.off()))) {
      h.frames.pipeInput("cam".getBytes(StandardCharsets.UTF_8), value);
      List<DeadLetter> letters = h.deadLetters.readValuesToList();
      assertEquals(1, letters.size(), "one dead letter at once, not buffered");
      assertEquals(stage, letters.get(0).getStage());
      assertTrue(letters.get(0).getErrorMessage().contains(reason), letters.get(0).getErrorMessage());
      assertArrayEquals(value == null ? new byte[0] : value, toArray(letters.get(0).getValue()));
      h.send(frame("cam", 0, 64, 48));
      h.send(frame("cam", 1, 64, 48));
      assertEquals(List.of(0L, 1L), sequences(h.masks.readValuesToList()));
      assertTrue(h.deadLetters.isEmpty());
    }
  }

  @Test
  void anUnreadableBufferEntryIsDeadLetteredAndTheBatchGoesOn() {
    try (Harness h = new Harness(settings(2, 60_000, Refinement.off()))) {
      KeyValueStore<Long, byte[]> store = h.driver.getKeyValueStore(SegmentationTopology.BUFFER_STORE);
      byte[] otherVersion = {9, 0, 0, 0};
      store.put(1000L, otherVersion);
      h.send(frame("cam", 0, 64, 48));
      h.send(frame("cam", 1, 64, 48));
      assertEquals(List.of(0L, 1L), sequences(h.masks.readValuesToList()));
      List<DeadLetter> letters = h.deadLetters.readValuesToList();
      assertEquals(1, letters.size());
      assertEquals(DeadLetterStage.DESERIALIZE, letters.get(0).getStage());
      assertEquals(SegmentationTopology.BUFFER_STORE, letters.get(0).getTopic());
      assertTrue(letters.get(0).getErrorMessage().contains("batch buffer entry"), letters.get(0).getErrorMessage());
      assertArrayEquals(otherVersion, toArray(letters.get(0).getValue()));
      try (var it = store.all()) {
        assertFalse(it.hasNext(), "the entry left the buffer");
      }
    }
  }

  @Test
  void aResultOverTheRecordLimitIsDeadLetteredAtEncodeAndItsLetterIsCutToFit() {
    ProcessorSettings tiny = settings(1, 60_000, Refinement.off()).withMaxRecordBytes(ProcessorSettings.MIN_RECORD_BYTES);
    try (Harness h = new Harness(tiny)) {
      h.send(frame("cam", 0, 640, 480));
      assertTrue(h.masks.isEmpty());
      List<DeadLetter> letters = h.deadLetters.readValuesToList();
      assertEquals(1, letters.size());
      DeadLetter letter = letters.get(0);
      assertEquals(DeadLetterStage.ENCODE, letter.getStage());
      assertTrue(letter.getErrorMessage().contains("even without its contours"), letter.getErrorMessage());
      assertTrue(letter.getErrorMessage().contains("dead letter cut to the record limit"), letter.getErrorMessage());
      assertTrue(AvroSerdes.deadLetterCodec().encode(letter).length <= ProcessorSettings.MIN_RECORD_BYTES);
      h.send(frame("cam", 1, 8, 8));
      assertEquals(List.of(1L), sequences(h.masks.readValuesToList()), "a small result still fits");
    }
  }

  @Test
  void theComputeCoreChecksThePixelCapWhateverTheDeclaredSize() {
    FrameSegmenter segmenter = new FrameSegmenter(model, settings(4, 60_000, Refinement.off()).withMaxFramePixels(3000));
    List<FrameOutcome> outcomes = segmenter.segment(List.of(
        new EncodedImage(ImageEncoding.JPEG, 0, 0, BadImages.jpeg(64, 48)), // 3072 px
        new EncodedImage(ImageEncoding.JPEG, 0, 0, BadImages.jpeg(50, 60)), // 3000 px
        new EncodedImage(ImageEncoding.RAW_BGR, 65536, 65536, new byte[12])));
    assertTrue(outcomes.get(0) instanceof FrameOutcome.Failed f && f.stage() == FailureStage.DECODE
        && f.error().getMessage().contains("3072 pixels is over the cap of 3000"), () -> "" + outcomes.get(0));
    assertTrue(outcomes.get(1) instanceof FrameOutcome.Segmented, () -> "" + outcomes.get(1));
    assertTrue(outcomes.get(2) instanceof FrameOutcome.Failed f && f.error().getMessage().contains("4294967296 pixels"),
        () -> "" + outcomes.get(2));
  }

  /**
   * A frame far larger than the model input and the refine size is decoded at a fraction of its size
   * (1/4 here: 1280x720 still covers 320x180), and its labels are at the frame's size all the same.
   */
  @Test
  void aLargeJpegIsDecodedReducedAndLabelledAtItsSize() {
    Refinement crf = new Refinement.Crf(CrfParams.TUNED, 320);
    FrameSegmenter segmenter = new FrameSegmenter(model, settings(1, 60_000, crf));
    assertEquals(4, segmenter.decodeReduction(1280, 720));
    assertEquals(2, segmenter.decodeReduction(640, 360));
    assertEquals(1, segmenter.decodeReduction(320, 240));
    assertEquals(1, segmenter.decodeReduction(100, 1000), "the model input needs 128 px across");
    LabelledImage scene = scenes.next(1280, 720);
    byte[] jpeg = ImageCodec.encodeJpeg(scene.image(), 90);
    FrameOutcome.Segmented reduced = (FrameOutcome.Segmented) segmenter.segment(
        List.of(new EncodedImage(ImageEncoding.JPEG, 1280, 720, jpeg))).get(0);
    assertEquals(1280, reduced.labels().width());
    assertEquals(720, reduced.labels().height());
    RgbImage full = ImageCodec.decode(jpeg);
    RgbImage quarter = ImageCodec.decode(jpeg, 4);
    assertEquals(320, quarter.width());
    assertEquals(180, quarter.height());
    assertEquals(1280, full.width());
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
