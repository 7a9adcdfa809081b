package org.segstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.segstream.avro.VideoFrame;
import org.segstream.cli.SegstreamCli;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.kafka.Topics;
import org.segstream.testing.LogCapture;
import org.segstream.testing.RtspServer;
import org.segstream.testing.SharedData;

/**
 * Live sources against real servers on loopback: GStreamer's RTSP server and the JDK's HTTP server
 * serving {@code cat.mp4} (149 frames, 30 fps), a real Kafka broker, real FFmpeg. Every test also
 * checks that the password in the source URI shows up nowhere: logs, stderr, records, errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveSourcesIT {
  private static final String PASSWORD = "Pa55-w0rd-xyzzy";
  private static final long FRAME_US = 1_000_000 / 30;
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private EmbeddedBroker broker;
  private RtspServer rtsp;
  private Path cat;
  private LogCapture logs;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @BeforeAll
  void start() {
    cat = SharedData.path("video/cat.mp4");
    rtsp = RtspServer.start(cat, RtspServer.freePort(), "cat");
    broker = EmbeddedBroker.start();
  }

  @AfterAll
  void stop() {
    threads.shutdownNow();
    if (broker != null) {
      broker.close();
    }
    if (rtsp != null) {
      rtsp.close();
    }
  }

  @BeforeEach
  void captureLogs() {
    logs = LogCapture.open();
  }

  @AfterEach
  void noPasswordInTheLogs() {
    logs.close();
    for (String line : logs.lines()) {
      assertFalse(line.contains(PASSWORD), "the password leaked into a log line: " + line);
    }
  }

  @Test
  void rtspFramesArriveInOrderWithoutDuplicates() throws Exception {
    // a roomy queue: this test is about the transport; FFmpeg hands out what it buffered while probing as a burst
    LiveSource source = LiveSource.of(rtsp.url("viewer:" + PASSWORD + "@"), LiveSettings.defaults().withQueueCapacity(64));
    assertEquals(rtsp.url("***@"), source.uri());
    Ingestor ingestor = new Ingestor(broker.settings());
    Future<IngestSummary> done = threads.submit(() -> ingestor.ingest(source, IngestSettings.of("rtsp-cat")));
    // the server plays the clip once per connection: its end shows as a reconnect
    await("the first connection to end", () -> source.stats().snapshot().reconnects() >= 1
        || source.stats().state() == SourceState.RECONNECTING, DEADLINE);
    SourceStats.Snapshot s = source.stats().snapshot();
    await("the queue to drain", () -> queueDrained(source.stats().snapshot()), DEADLINE);
    ingestor.stop();
    IngestSummary summary = stopAndGet(done);
    assertTrue(summary.stopped());

    List<VideoFrame> records = readStream("rtsp-cat");
    List<VideoFrame> firstConnection = new ArrayList<>();
    for (VideoFrame f : records) {
      // the replay on the next connection starts again from the clip's first timestamp
      if (f.getEndOfStream() || !firstConnection.isEmpty()
          && f.getCaptureTimeUs() <= firstConnection.get(firstConnection.size() - 1).getCaptureTimeUs()) {
        assertTrue(f.getEndOfStream() || f.getDiscontinuity(), "the replay after the reconnect is marked");
        break;
      }
      firstConnection.add(f);
    }
    int n = firstConnection.size();
    assertTrue(n >= 140 && n <= 149, "frames of the 149 served: " + n + " (stats " + s + ")");
    long lastPts = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      VideoFrame f = firstConnection.get(i);
      assertEquals(i, f.getSequence(), "sequences from 0 without gaps");
      assertTrue(f.getCaptureTimeUs() > lastPts, "presentation times strictly increase: in order, no duplicates");
      if (i > 0 && f.getDiscontinuity()) {
        assertTrue(f.getCaptureTimeUs() - lastPts > FRAME_US * 3 / 2, "a discontinuity only where frames are missing");
      }
      lastPts = f.getCaptureTimeUs();
      assertEquals(568, f.getWidth());
      assertEquals(320, f.getHeight());
    }
    long span = lastPts - firstConnection.get(0).getCaptureTimeUs();
    // cat.mp4's own timestamps run from 0 to 5.005 s (ffprobe), with two double-length steps
    assertTrue(span <= 5_005_000 + FRAME_US / 2, "all within one play of the clip: " + span + " us");
    assertNoPassword(records);
    assertTrue(logs.contains("rtsp://***@127.0.0.1:" + rtsp.port() + "/cat: streaming"), String.join("\n", logs.lines()));
  }

  @Test
  void anOutageIsReportedAndTheSourceReconnectsWithoutEnding() throws Exception {
    int port = RtspServer.freePort();
    RtspServer first = RtspServer.start(cat, port, "cam");
    LiveSource source = LiveSource.of(first.url("viewer:" + PASSWORD + "@"),
        LiveSettings.defaults().withStallTimeout(Duration.ofSeconds(2)));
    Ingestor ingestor = new Ingestor(broker.settings());
    Future<IngestSummary> done = threads.submit(() -> ingestor.ingest(source, IngestSettings.of("outage")));
    RtspServer second = null;
    try {
      await("30 frames", () -> source.stats().snapshot().published() >= 30, DEADLINE);
      first.freeze(); // a hung server: the connection stays open, nothing flows
      // the log, not the state: FFmpeg may still hand out a buffered frame after the stall, flipping it back briefly
      await("the stall to be reported", () -> logs.contains("/cam: stalled (no frame for"), Duration.ofSeconds(15));
      first.close();
      long framesBefore = source.stats().snapshot().framesIn();
      long reconnectsBefore = source.stats().snapshot().reconnects();
      second = RtspServer.start(cat, port, "cam");
      long back = System.nanoTime();
      await("frames from the restarted server", () -> source.stats().snapshot().framesIn() > framesBefore + 5,
          Duration.ofSeconds(40));
      double secondsToRecover = (System.nanoTime() - back) / 1e9;
      // the back-off doubles while the server is down: at most one 8 s wait plus connecting
      assertTrue(secondsToRecover < 12, "streaming again " + secondsToRecover + " s after the server returned");
      assertTrue(source.stats().snapshot().reconnects() > reconnectsBefore);
      assertFalse(done.isDone(), "the ingest never ends on its own");
      ingestor.stop();
      stopAndGet(done);
      System.out.printf("outage: streaming again %.1f s after the server returned%n", secondsToRecover);
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
    }
    List<VideoFrame> records = readStream("outage");
    int gaps = 0;
    for (int i = 0; i < records.size() - 1; i++) {
      VideoFrame f = records.get(i);
      assertEquals(i, f.getSequence(), "sequence numbers continue across the reconnect");
      if (i > 0 && f.getCaptureTimeUs() <= records.get(i - 1).getCaptureTimeUs()) {
        assertTrue(f.getDiscontinuity(), "the first frame of the new connection (sequence " + i + ") carries discontinuity");
      }
      gaps += f.getDiscontinuity() ? 1 : 0;
    }
    assertTrue(gaps >= 1, "a discontinuity was published");
    assertTrue(logs.contains("cam: stalled (no frame for"), String.join("\n", logs.lines()));
    assertTrue(logs.contains("cam: reconnecting (retry 1 in 1 s"), String.join("\n", logs.lines()));
    assertNoPassword(records);
  }

  @Test
  void anUnreachableSourceRetriesWithBackoffThenGivesUpWithExitCode1() {
    int closedPort = RtspServer.freePort();
    String uri = "rtsp://admin:" + PASSWORD + "@127.0.0.1:" + closedPort + "/nothing";
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    long start = System.nanoTime();
    int code = SegstreamCli.execute(new String[] {"ingest", "--input", uri, "--stream-id", "gone", "--max-retries", "2",
        "--stats-interval", "0", "--bootstrap-servers", broker.bootstrapServers()}, Map.of(), new PrintWriter(out, true),
        new PrintWriter(err, true));
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(1, code, err.toString());
    String masked = "rtsp://***@127.0.0.1:" + closedPort + "/nothing";
    assertTrue(err.toString().startsWith("segstream: " + masked + " gave up after 2 retries"), err.toString());
    assertTrue(logs.contains(masked + ": reconnecting (retry 1 of 2 in 1 s after: cannot open " + masked), String.join("\n", logs.lines()));
    assertTrue(logs.contains(masked + ": reconnecting (retry 2 of 2 in 2 s"), String.join("\n", logs.lines()));
    assertTrue(logs.contains(masked + ": ended (gave up after 2 retries"), String.join("\n", logs.lines()));
    assertTrue(seconds >= 3, "waited 1 s + 2 s between the attempts: " + seconds);
    assertFalse(err.toString().contains(PASSWORD) || out.toString().contains(PASSWORD), err + "\n" + out);
  }

  @Test
  void aProgressiveMp4OverHttpIngestsCompletely() throws Exception {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/cat.mp4", exchange -> serveWithRanges(exchange, cat)).setAuthenticator(new BasicAuthenticator("segstream") {
      @Override
      public boolean checkCredentials(String user, String password) {
        return user.equals("viewer") && password.equals(PASSWORD);
      }
    });
    http.setExecutor(threads);
    http.start();
    try {
      LiveSource source = LiveSource.of("http://viewer:" + PASSWORD + "@127.0.0.1:" + http.getAddress().getPort() + "/cat.mp4",
          LiveSettings.defaults());
      IngestSummary summary = new Ingestor(broker.settings()).ingest(source, IngestSettings.of("http-cat"));
      assertEquals(149, summary.framesPublished(), summary.line());
      assertFalse(summary.stopped());
      assertEquals(0, source.stats().snapshot().droppedTotal(), "a recording waits for the publisher instead of dropping");
      assertEquals(SourceState.ENDED, source.stats().state());
      assertFalse(source.stats().gaveUp());
      List<VideoFrame> records = readStream("http-cat");
      IngestIT.assertCompleteStream(records, 149, 568, 320);
      assertNoPassword(records);
    } finally {
      http.stop(0);
    }
  }

  @Test
  void anHlsPlaylistIngestsCompletely() throws Exception {
    Path dir = Files.createTempDirectory("segstream-hls");
    SharedData.run(SharedData.tool("ffmpeg").toString(), "-nostdin", "-loglevel", "error", "-y", "-i", cat.toString(),
        "-c", "copy", "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod", dir.resolve("index.m3u8").toString());
    HttpServer http = serveDirectory(dir, "application/vnd.apple.mpegurl");
    try {
      // a signed playlist URL: the server ignores the query, the records and logs must not show it
      String playlist = "http://127.0.0.1:" + http.getAddress().getPort() + "/index.m3u8";
      LiveSource source = LiveSource.of(playlist + "?token=" + PASSWORD + "&X-Amz-Signature=" + PASSWORD + "&v=2",
          LiveSettings.defaults());
      IngestSummary summary = new Ingestor(broker.settings()).ingest(source, IngestSettings.of("hls-cat"));
      assertEquals(149, summary.framesPublished(), summary.line());
      assertEquals(0, source.stats().snapshot().droppedTotal());
      List<VideoFrame> records = readStream("hls-cat");
      IngestIT.assertCompleteStream(records, 149, 568, 320);
      assertNoPassword(records);
      assertEquals(playlist + "?token=***&X-Amz-Signature=***&v=2", records.get(0).getSourceUri());
    } finally {
      http.stop(0);
    }
  }

  @Test
  void anMjpegStreamIsLiveAndItsEndIsAFailureToReconnect() throws Exception {
    Path dir = Files.createTempDirectory("segstream-mjpeg");
    SharedData.run(SharedData.tool("ffmpeg").toString(), "-nostdin", "-loglevel", "error", "-y", "-i", cat.toString(),
        "-q:v", "5", "-f", "mpjpeg", dir.resolve("cam.mjpeg").toString());
    HttpServer http = serveDirectory(dir, "multipart/x-mixed-replace;boundary=ffmpeg");
    try {
      String uri = "http://cam:" + PASSWORD + "@127.0.0.1:" + http.getAddress().getPort() + "/cam.mjpeg";
      LiveSource source = LiveSource.of(uri, LiveSettings.defaults().withMaxRetries(0).withQueueCapacity(256));
      Ingestor ingestor = new Ingestor(broker.settings());
      IngestException e = org.junit.jupiter.api.Assertions.assertThrows(IngestException.class,
          () -> ingestor.ingest(source, IngestSettings.of("mjpeg-cat")));
      assertTrue(e.getMessage().contains("gave up after 0 retries") && e.getMessage().contains("ended unexpectedly"), e.getMessage());
      assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
      SourceStats.Snapshot s = source.stats().snapshot();
      assertTrue(s.gaveUp());
      assertTrue(s.published() >= 149, "every JPEG of the multipart stream: " + s);
      List<VideoFrame> records = readStream("mjpeg-cat", 149);
      assertEquals(149, records.size());
      for (int i = 0; i < records.size(); i++) {
        assertEquals(i, records.get(i).getSequence());
      }
      assertNoPassword(records);
    } finally {
      http.stop(0);
    }
  }

  private HttpServer serveDirectory(Path dir, String contentType) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", exchange -> {
      Path file = dir.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
      if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", file.toString().endsWith(".ts") ? "video/mp2t" : contentType);
      byte[] body = Files.readAllBytes(file);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      } catch (IOException e) {
        // the client went away
      }
    });
    http.setExecutor(threads);
    http.start();
    return http;
  }

  @ParameterizedTest
  @EnumSource(value = DropPolicy.class, names = {"OLDEST", "NEWEST"})
  void aSourceFasterThanThePublisherDropsByPolicyAndCountsIt(DropPolicy policy) throws Exception {
    int capacity = 4;
    LiveSource source = LiveSource.of(rtsp.url(""), LiveSettings.defaults().withDropPolicy(policy).withQueueCapacity(capacity));
    String streamId = "drop-" + policy;
    List<PublishedFrame> published = new CopyOnWriteArrayList<>();
    // the publisher stalls on its first frame until the grabber has had to drop 20 frames
    FrameListener slowPublisher = frame -> {
      published.add(frame);
      if (frame.sequence() == 0) {
        await("20 drops", () -> source.stats().snapshot().dropped().get(DropReason.QUEUE_FULL) >= 20, DEADLINE);
      }
    };
    Ingestor ingestor = new Ingestor(broker.settings());
    Future<IngestSummary> done = threads.submit(() -> ingestor.ingest(source, IngestSettings.of(streamId), slowPublisher));
    await("the first connection to end", () -> source.stats().state() == SourceState.RECONNECTING
        || source.stats().snapshot().reconnects() >= 1, DEADLINE);
    await("the queue to drain", () -> queueDrained(source.stats().snapshot()), DEADLINE);
    SourceStats.Snapshot s = source.stats().snapshot();
    ingestor.stop();
    stopAndGet(done);
    long dropped = s.dropped().get(DropReason.QUEUE_FULL);
    assertTrue(dropped >= 20, s.toString());
    assertEquals(s.framesIn(), s.published() + dropped, "every grabbed frame is published or counted as dropped: " + s);
    assertEquals(0, s.dropped().get(DropReason.MAX_FPS));

    List<VideoFrame> records = readStream(streamId);
    long p0 = records.get(0).getCaptureTimeUs();
    if (policy == DropPolicy.OLDEST) {
      // what waited in the queue when the publisher resumed were the newest frames
      assertTrue(records.get(1).getCaptureTimeUs() - p0 >= 20 * FRAME_US, "frame 1 is far newer than frame 0");
      assertTrue(records.get(1).getDiscontinuity(), "the frame after the dropped ones carries discontinuity");
      // the source keeps coming while these go out: on a loaded machine the queue can fill again and drop its
      // oldest, which must then be marked too
      for (int i = 2; i <= capacity; i++) {
        assertAdjacentOrMarkedGap(records.get(i - 1), records.get(i));
      }
    } else {
      // the queued frames right after frame 0 went out; the newer ones were dropped
      for (int i = 1; i <= capacity; i++) {
        assertAdjacent(records.get(i - 1), records.get(i));
      }
      VideoFrame afterDrops = records.get(capacity + 1);
      assertTrue(afterDrops.getCaptureTimeUs() - records.get(capacity).getCaptureTimeUs() >= 15 * FRAME_US);
      assertTrue(afterDrops.getDiscontinuity(), "the frame after the dropped ones carries discontinuity");
    }
  }

  @Test
  void maxFpsSamplesAFastSourceDown() throws Exception {
    LiveSource source = LiveSource.of(rtsp.url(""), LiveSettings.defaults().withMaxFps(10));
    Ingestor ingestor = new Ingestor(broker.settings());
    Future<IngestSummary> done = threads.submit(() -> ingestor.ingest(source, IngestSettings.of("sampled")));
    await("the first connection to end", () -> source.stats().state() == SourceState.RECONNECTING
        || source.stats().snapshot().reconnects() >= 1, DEADLINE);
    await("the queue to drain", () -> queueDrained(source.stats().snapshot()), DEADLINE);
    SourceStats.Snapshot s = source.stats().snapshot();
    ingestor.stop();
    stopAndGet(done);
    assertTrue(s.published() >= 45 && s.published() <= 55, "about a third of ~149 frames: " + s);
    assertEquals(s.framesIn() - s.published() - s.dropped().get(DropReason.QUEUE_FULL), s.dropped().get(DropReason.MAX_FPS));
    List<VideoFrame> records = readStream("sampled", (int) s.published());
    for (int i = 1; i < records.size(); i++) {
      long step = records.get(i).getCaptureTimeUs() - records.get(i - 1).getCaptureTimeUs();
      assertTrue(step > 2 * FRAME_US - FRAME_US / 2 && step < 4 * FRAME_US, "about 100 ms apart: " + step + " us");
      assertFalse(records.get(i).getDiscontinuity(), "sampling is regular, not a gap");
    }
  }

  @Test
  void aFileAndALiveSourceRunSideBySideAndTheFileDropsNothing() throws Exception {
    LiveSource live = LiveSource.of(rtsp.url("viewer:" + PASSWORD + "@"), LiveSettings.defaults());
    List<IngestRunner.Stream> streams = List.of(
        new IngestRunner.Stream(new FileSource(cat), IngestSettings.of("side-file").withPacing(Pacing.max())),
        new IngestRunner.Stream(live, IngestSettings.of("side-live")));
    List<IngestRunner.Outcome> outcomes;
    try (IngestRunner runner = new IngestRunner(broker.settings(), streams, Duration.ofSeconds(1), frame -> {})) {
      await("the file to end", () -> runner.stats("side-file").state() == SourceState.ENDED, DEADLINE);
      await("the live source to stream", () -> live.stats().snapshot().published() >= 10, DEADLINE);
      assertFalse(runner.finished(), "the live source goes on after the file ended");
      SourceStats.Snapshot file = runner.stats("side-file").snapshot();
      assertEquals(149, file.published());
      assertEquals(0, file.droppedTotal(), "a file blocks instead of dropping");
      await("the periodic line of the live source", () -> logs.contains("stream side-live rtsp://***@"), DEADLINE);
      runner.stop();
      outcomes = runner.awaitAll();
    }
    assertEquals(2, outcomes.size());
    assertFalse(outcomes.get(0).failed() || outcomes.get(1).failed(), outcomes.toString());
    assertEquals(149, outcomes.get(0).summary().framesPublished());
    assertFalse(outcomes.get(0).summary().stopped());
    assertTrue(outcomes.get(1).summary().stopped());
    assertTrue(logs.contains("stream side-live rtsp://***@"), "the periodic line names the source, masked");
    assertNoPassword(readStream("side-live"));
  }

  private static boolean queueDrained(SourceStats.Snapshot s) {
    return s.framesIn() == s.published() + s.droppedTotal();
  }

  private static void assertAdjacent(VideoFrame a, VideoFrame b) {
    long step = b.getCaptureTimeUs() - a.getCaptureTimeUs();
    assertTrue(Math.abs(step - FRAME_US) < FRAME_US / 4, "frames " + a.getSequence() + " and " + b.getSequence()
        + " follow each other: " + step + " us apart");
    assertFalse(b.getDiscontinuity(), "no gap before frame " + b.getSequence());
  }

  private static void assertAdjacentOrMarkedGap(VideoFrame a, VideoFrame b) {
    long step = b.getCaptureTimeUs() - a.getCaptureTimeUs();
    if (step >= FRAME_US + FRAME_US / 2) {
      assertTrue(b.getDiscontinuity(), "frames dropped between " + a.getSequence() + " and " + b.getSequence()
          + " (" + step + " us apart) are marked");
    } else {
      assertAdjacent(a, b);
    }
  }

  private static void assertNoPassword(List<VideoFrame> records) {
    assertFalse(records.isEmpty());
    for (VideoFrame f : records) {
      assertFalse(f.getSourceUri().contains(PASSWORD), f.getSourceUri());
      assertTrue(f.getSourceUri().contains("***") || !f.getSourceUri().contains("@"), f.getSourceUri());
    }
  }

  private IngestSummary stopAndGet(Future<IngestSummary> done) throws Exception {
    try {
      return done.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      String message = String.valueOf(e.getCause().getMessage());
      assertFalse(message.contains(PASSWORD), message);
      throw e;
    }
  }

  static void await(String what, BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  /** Every record of the stream up to and including its end-of-stream record. */
  private List<VideoFrame> readStream(String streamId) {
    return readStream(streamId, Integer.MAX_VALUE);
  }

  /** The stream's records up to its end-of-stream record or the first {@code count}. */
  private List<VideoFrame> readStream(String streamId, int count) {
    Properties props = broker.settings().consumerProperties("live-it-" + streamId + "-" + System.nanoTime(), false);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(Topics.MAX_RECORD_BYTES));
    List<VideoFrame> frames = new ArrayList<>();
    try (KafkaConsumer<String, VideoFrame> consumer = new KafkaConsumer<>(props, Topics.FRAMES.keySerde().deserializer(),
        Topics.FRAMES.valueSerde().deserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.FRAMES.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, VideoFrame> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key().equals(streamId)) {
            frames.add(r.value());
            if (r.value().getEndOfStream() || frames.size() >= count) {
              return frames;
            }
          }
        }
      }
    }
    fail("no end-of-stream record for " + streamId + " within " + DEADLINE + "; got " + frames.size());
    return frames;
  }

  /** A static file with byte ranges, as FFmpeg asks for when the MP4 index sits at the end. */
  private static void serveWithRanges(HttpExchange exchange, Path file) throws IOException {
    long size = Files.size(file);
    long from = 0;
    long to = size - 1;
    String range = exchange.getRequestHeaders().getFirst("Range");
    if (range != null && range.startsWith("bytes=")) {
      String[] parts = range.substring(6).split("-", -1);
      from = Long.parseLong(parts[0].strip());
      if (parts.length > 1 && !parts[1].isBlank()) {
        to = Math.min(to, Long.parseLong(parts[1].strip()));
      }
    }
    exchange.getResponseHeaders().set("Content-Type", "video/mp4");
    exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
    if (from > to) {
      exchange.sendResponseHeaders(416, -1);
      exchange.close();
      return;
    }
    long length = to - from + 1;
    if (range != null) {
      exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + size);
      exchange.sendResponseHeaders(206, length);
    } else {
      exchange.sendResponseHeaders(200, length);
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r"); OutputStream out = exchange.getResponseBody()) {
      in.seek(from);
      byte[] buffer = new byte[64 * 1024];
      long left = length;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          break;
        }
        out.write(buffer, 0, n);
        left -= n;
      }
    } catch (IOException e) {
      // the client closed the connection (FFmpeg seeks by reconnecting): nothing to do
    }
  }
}
