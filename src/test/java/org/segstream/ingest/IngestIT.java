package org.segstream.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.avro.FrameEncoding;
import org.segstream.avro.VideoFrame;
import org.segstream.cli.SegstreamCli;
import org.segstream.image.ImageCodec;
import org.segstream.image.RgbImage;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topic;
import org.segstream.kafka.Topics;
import org.segstream.testing.LogCapture;
import org.segstream.testing.SharedData;
import org.segstream.video.VideoWriter;

/** Ingest into a real embedded broker, read back what was published. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private EmbeddedBroker broker;
  @TempDir Path dir;

  @BeforeAll
  void startBroker() {
    broker = EmbeddedBroker.start();
  }

  @AfterAll
  void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  /** Frame i of a generated clip: grey level 10 + 6 i names it, a square moves across. */
  static RgbImage numbered(int i, int w, int h) {
    RgbImage image = RgbImage.blank(w, h);
    byte[] rgb = image.rgb();
    int level = 10 + 6 * i;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = 3 * (y * w + x);
        boolean square = x >= 3 * i && x < 3 * i + 20 && y >= 10 && y < 30;
        rgb[p] = (byte) (square ? 240 : level);
        rgb[p + 1] = (byte) (square ? 40 : level);
        rgb[p + 2] = (byte) (square ? 40 : level);
      }
    }
    return image;
  }

  Path losslessClip(String name, int frames, int w, int h, double fps) {
    Path file = dir.resolve(name);
    try (VideoWriter writer = VideoWriter.openLossless(file, w, h, fps)) {
      for (int i = 0; i < frames; i++) {
        writer.write(numbered(i, w, h));
      }
    }
    return file;
  }

  /** Every record of the stream on the topic up to and including its end-of-stream record. */
  List<VideoFrame> readStream(Topic<String, VideoFrame> topic, String streamId) {
    Properties props = broker.settings().consumerProperties("it-" + streamId + "-" + System.nanoTime(), false);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(Topics.MAX_RECORD_BYTES));
    List<VideoFrame> frames = new ArrayList<>();
    try (KafkaConsumer<String, VideoFrame> consumer =
        new KafkaConsumer<>(props, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, VideoFrame> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key().equals(streamId)) {
            assertEquals(streamId, r.value().getStreamId());
            frames.add(r.value());
            if (r.value().getEndOfStream()) {
              return frames;
            }
          }
        }
      }
    }
    fail("no end-of-stream record for " + streamId + " within " + DEADLINE + "; got " + frames.size() + " records");
    return frames;
  }

  static void assertCompleteStream(List<VideoFrame> records, int frames, int width, int height) {
    assertEquals(frames + 1, records.size(), "frames plus one end-of-stream record");
    long lastPts = Long.MIN_VALUE;
    long lastWall = 0;
    for (int i = 0; i < frames; i++) {
      VideoFrame f = records.get(i);
      assertEquals(i, f.getSequence(), "sequence without gaps, in order");
      assertFalse(f.getEndOfStream());
      assertFalse(f.getDiscontinuity());
      assertEquals(FrameEncoding.JPEG, f.getEncoding());
      assertEquals(width, f.getWidth());
      assertEquals(height, f.getHeight());
      assertTrue(f.getCaptureTimeUs() >= lastPts, "presentation times never go back");
      assertTrue(f.getCaptureWallTimeMs() >= lastWall);
      lastPts = f.getCaptureTimeUs();
      lastWall = f.getCaptureWallTimeMs();
    }
    VideoFrame eos = records.get(frames);
    assertTrue(eos.getEndOfStream());
    assertEquals(frames, eos.getSequence());
    assertEquals(0, eos.getData().remaining());
  }

  static RgbImage image(VideoFrame f) {
    ByteBuffer data = f.getData().duplicate();
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    return ImageCodec.decode(bytes);
  }

  static String[] withBroker(EmbeddedBroker broker, String... args) {
    String[] full = new String[args.length + 2];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--bootstrap-servers";
    full[args.length + 1] = broker.bootstrapServers();
    return full;
  }

  @Test
  void catClipThroughTheCommandArrivesWhole() {
    Path cat = SharedData.path("video/cat.mp4");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SegstreamCli.execute(withBroker(broker, "ingest", "--input", cat.toString(), "--stream-id", "cat",
        "--rate", "max"), Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().startsWith("ingested cat: 149 frames (sequence 0..148, end of stream 149) 568x320"),
        out.toString());
    List<VideoFrame> records = readStream(Topics.FRAMES, "cat");
    assertCompleteStream(records, 149, 568, 320);
    assertEquals(cat.toAbsolutePath().normalize().toString(), records.get(0).getSourceUri());
    RgbImage first = image(records.get(0));
    assertEquals(568, first.width());
    assertEquals(320, first.height());
    RgbImage last = image(records.get(148));
    assertEquals(568, last.width());
    assertTrue(records.get(148).getCaptureTimeUs() > records.get(0).getCaptureTimeUs() + 4_000_000,
        "a 149-frame clip spans seconds of presentation time");
  }

  @Test
  void generatedClipAtThirtyFramesPerSecondArrivesInOrderAndInTime() {
    int n = 30;
    Path clip = losslessClip("numbered.mkv", n, 160, 96, 30);
    List<PublishedFrame> seen = new ArrayList<>();
    long begin = System.nanoTime();
    IngestSummary summary = new Ingestor(broker.settings())
        .ingest(new FileSource(clip), IngestSettings.of("numbered").withPacing(Pacing.fixed(30)), seen::add);
    double seconds = (System.nanoTime() - begin) / 1e9;
    assertTrue(seconds >= 0.8 * n / 30.0, "paced at 30 frames/s: took " + seconds + " s");
    assertEquals(n, summary.framesPublished());
    assertEquals(n - 1, summary.lastSequence());
    assertEquals(n, summary.endOfStreamSequence());
    assertEquals(n, seen.size());

    List<VideoFrame> records = readStream(Topics.FRAMES, "numbered");
    assertCompleteStream(records, n, 160, 96);
    for (int i = 0; i < n; i++) {
      RgbImage decoded = image(records.get(i));
      // the background level names the frame: each frame once, in order, its pixels intact
      int level = decoded.get(150, 80, 1);
      assertTrue(Math.abs(level - (10 + 6 * i)) <= 3, "frame " + i + " has level " + level);
      assertEquals(seen.get(i).sequence(), records.get(i).getSequence());
      assertEquals(seen.get(i).captureWallTimeMs(), records.get(i).getCaptureWallTimeMs());
    }
    // a lossless source's presentation times step by 1/30 s
    long step = records.get(1).getCaptureTimeUs() - records.get(0).getCaptureTimeUs();
    assertTrue(Math.abs(step - 33_333) <= 1_000, "PTS step " + step);
  }

  @Test
  void nativePacingFollowsThePresentationTimes() {
    int n = 20;
    Path clip = losslessClip("native.mkv", n, 64, 48, 20); // 1 s of video
    long begin = System.nanoTime();
    IngestSummary summary = new Ingestor(broker.settings()).ingest(new FileSource(clip), IngestSettings.of("native"));
    double seconds = (System.nanoTime() - begin) / 1e9;
    assertEquals(n, summary.framesPublished());
    assertTrue(seconds >= 0.8 * n / 20.0, "native rate of a 20 fps clip: took " + seconds + " s");
  }

  @Test
  void maxSizeShrinksTheLongSide() {
    Path cat = SharedData.path("video/cat.mp4");
    IngestSummary summary = new Ingestor(broker.settings()).ingest(new FileSource(cat),
        IngestSettings.of("cat-small").withPacing(Pacing.max()).withMaxSize(284).withMaxFrames(10).withJpegQuality(70));
    assertEquals(10, summary.framesPublished());
    List<VideoFrame> records = readStream(Topics.FRAMES, "cat-small");
    assertCompleteStream(records, 10, 284, 160);
    RgbImage decoded = image(records.get(5));
    assertEquals(284, decoded.width());
    assertEquals(160, decoded.height());
  }

  @Test
  void framesOverTheRecordLimitAreReencodedSmallerNotDropped() {
    Path cat = SharedData.path("video/cat.mp4");
    int limit = 12_000; // a cat frame at quality 90 is ~35 kB
    KafkaSettings small = new KafkaSettings(broker.bootstrapServers(), Map.of("max.request.size", Integer.toString(limit)));
    IngestSummary summary = new Ingestor(small).ingest(new FileSource(cat),
        IngestSettings.of("cat-limited").withPacing(Pacing.max()).withMaxFrames(8));
    assertEquals(8, summary.framesPublished());
    assertEquals(8, summary.framesReencoded());
    assertTrue(summary.line().contains("8 at lower quality or size"), summary.line());
    List<VideoFrame> records = readStream(Topics.FRAMES, "cat-limited");
    assertEquals(9, records.size());
    for (int i = 0; i < 8; i++) {
      VideoFrame f = records.get(i);
      assertEquals(records.get(0).getWidth(), f.getWidth(), "once shrunk, the stream keeps one size");
      assertTrue(f.getWidth() < 568);
      assertEquals(i, f.getSequence());
      assertTrue(f.getData().remaining() < limit);
      RgbImage decoded = image(f);
      assertEquals(f.getWidth(), decoded.width());
      assertEquals(f.getHeight(), decoded.height());
    }
  }

  @Test
  void acksOneFromTheKafkaConfigIngestsWithoutIdempotence() throws Exception {
    int n = 12;
    Path clip = losslessClip("acks1.mkv", n, 96, 64, 30);
    Path config = Files.writeString(dir.resolve("acks1.properties"), "acks=1\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try (LogCapture logs = LogCapture.open()) {
      code = SegstreamCli.execute(withBroker(broker, "ingest", "--input", clip.toString(), "--stream-id", "acks1",
              "--rate", "max", "--kafka-config", config.toString()),
          Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
      assertTrue(logs.contains("acks=1 from --kafka-config: the producer is not idempotent"), String.join("\n", logs.lines()));
    }
    assertEquals(0, code, err.toString());
    assertCompleteStream(readStream(Topics.FRAMES, "acks1"), n, 96, 64);
  }

  @Test
  void aRecordLimitWithNoRoomFailsThroughTheCommand() throws Exception {
    Path config = Files.writeString(dir.resolve("kafka.properties"), "max.request.size=1000\n");
    StringWriter err = new StringWriter();
    int code = SegstreamCli.execute(withBroker(broker, "ingest", "--input", SharedData.path("video/cat.mp4").toString(),
            "--stream-id", "nope", "--rate", "max", "--kafka-config", config.toString()),
        Map.of(), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    assertEquals(1, code);
    assertTrue(err.toString().contains("max.request.size"), err.toString());
  }

  @Test
  void aSendTheBrokerRejectsFailsTheIngest() {
    // the broker's topic takes 2 kB records while the ingestor believes 8 MiB: every send fails
    Topic<String, VideoFrame> strict = new Topic<>("it.strict", 1, Topics.FRAMES.keySerde(),
        Topics.FRAMES.valueSerde(), Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2000"));
    broker.createTopics(List.of(strict));
    Path clip = losslessClip("strict.mkv", 3, 160, 96, 30);
    // short client timeouts so a stalled producer is noticed in seconds, not minutes
    KafkaSettings quick = new KafkaSettings(broker.bootstrapServers(),
        Map.of("delivery.timeout.ms", "4000", "request.timeout.ms", "3000"));
    long begin = System.nanoTime();
    IngestException e = assertThrows(IngestException.class, () -> new Ingestor(quick,
        Topics.FRAMES.withName("it.strict")).ingest(new FileSource(clip), IngestSettings.of("strict").withPacing(Pacing.max())));
    assertTrue(e.getMessage().contains("it.strict") && e.getMessage().contains("stream strict"), e.getMessage());
    assertTrue(System.nanoTime() - begin < TimeUnit.SECONDS.toNanos(40), "failed within the delivery deadline");
  }
}
