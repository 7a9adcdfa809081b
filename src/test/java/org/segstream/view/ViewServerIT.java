package org.segstream.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.segstream.avro.Box;
import org.segstream.avro.DeadLetterStage;
import org.segstream.avro.Instance;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.VideoFrame;
import org.segstream.cli.TailResults;
import org.segstream.image.EncodedImage;
import org.segstream.image.ImageCodec;
import org.segstream.image.ImageEncoding;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;
import org.segstream.kafka.DeadLetters;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.kafka.FrameRecords;
import org.segstream.kafka.Topics;
import org.segstream.segment.FailureStage;

/**
 * The view on a real broker, fed by hand: frames joined with their results and composited (mask, instance box and
 * id), its token, masked source URIs, the stream cap, dead letters by stream, and a browser that stops reading
 * dropped while others keep watching.
 */
class ViewServerIT {
  private static final String TOKEN = "view-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void joinsFramesWithResultsAndServesThemBehindItsToken() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start();
        KafkaProducer<byte[], byte[]> producer = producer(broker);
        ViewServer view = ViewServer.start(broker.settings(), new ViewSettings("127.0.0.1", 0, TOKEN, 2, Duration.ofSeconds(30)))) {
      URI base = URI.create(view.baseUri());
      RgbImage grey = solid(128, 64, 128);
      send(producer, frame("cam", 0, grey, "rtsp://admin:Secr3t-pass@cam.local/1"));
      await(() -> streams(base).contains("cam"), "cam listed");
      send(producer, result("cam", 0, grey));
      send(producer, frame("door", 0, grey, "file.mp4"));
      await(() -> streams(base).contains("door"), "door listed");
      send(producer, frame("extra", 0, grey, "file.mp4")); // over the cap of 2
      byte[] key = "cam".getBytes(StandardCharsets.UTF_8);
      producer.send(new ProducerRecord<>(Topics.DLQ.name(), key, Topics.DLQ.valueSerde().serializer().serialize(Topics.DLQ.name(),
          DeadLetters.of(key, new byte[] {1}, Topics.FRAMES.name(), 0, 5, FailureStage.DECODE, "X", "bad"))));
      producer.flush();
      await(() -> board(base).path("framesOverCap").asLong() >= 1 && stream(base, "cam").path("deadLetters").asLong() == 1
          && stream(base, "cam").path("sequence").asLong(-1) == 0, "the cap, the dead letter and the join seen");
      assertEquals(List.of("cam", "door"), streams(base), "two streams at most");

      assertEquals(401, get(base.resolve("/"), null).statusCode(), "no token, no view");
      assertEquals(401, get(URI.create(base + "/?token=wrong-token-000000000"), null).statusCode());
      assertEquals(401, get(base.resolve("/stream/cam/mjpeg"), null).statusCode());
      HttpResponse<byte[]> page = get(URI.create(base + "/?token=" + TOKEN), null);
      assertEquals(200, page.statusCode());
      assertTrue(page.headers().firstValue("set-cookie").orElse("").startsWith(ViewServer.COOKIE + "=" + TOKEN + ";"));
      String html = new String(page.body(), StandardCharsets.UTF_8);
      assertTrue(html.contains("rtsp://***@cam.local/1"), html);
      assertFalse(html.contains("Secr3t"), "the password stays off the page");
      assertFalse(html.contains("http://") || html.contains("https://"), "no external asset");
      assertEquals(200, get(base.resolve("/streams.json"), "Cookie: " + ViewServer.COOKIE + "=" + TOKEN).statusCode());
      assertEquals(404, get(base.resolve("/stream/nope/snapshot.png"), "Authorization: Bearer " + TOKEN).statusCode());

      HttpResponse<byte[]> snapshot = get(base.resolve("/stream/cam/snapshot.png"), "Authorization: Bearer " + TOKEN);
      assertEquals(200, snapshot.statusCode());
      assertEquals("image/png", snapshot.headers().firstValue("content-type").orElse(""));
      RgbImage shown = ImageCodec.decode(snapshot.body());
      assertEquals(128, shown.width());
      int[] tinted = {Math.round(128 * 0.55f + 255 * 0.45f), Math.round(128 * 0.55f + 140 * 0.45f), Math.round(128 * 0.55f)};
      assertNear(tinted, shown, 5, 55, "the object's pixels are tinted in class 0's colour");
      assertNear(new int[] {128, 128, 128}, shown, 100, 55, "the background is not");
      assertNear(new int[] {255, 140, 0}, shown, 10, 45, "the instance's box is drawn in its class colour");
      assertNear(new int[] {255, 140, 0}, shown, 11, 15, "its label's ground sits above the box");
      int ink = 0;
      for (int y = 15; y < 30; y++) {
        for (int x = 11; x < 47; x++) {
          ink += shown.get(x, y, 0) < 40 && shown.get(x, y, 1) < 40 ? 1 : 0;
        }
      }
      assertTrue(ink > 40, "the id #42 is written in black on the label: " + ink + " dark pixels");
    }
  }

  @Test
  void aBrowserThatStopsReadingIsDroppedAndTheOthersKeepWatching() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start();
        KafkaProducer<byte[], byte[]> producer = producer(broker);
        ViewServer view = ViewServer.start(broker.settings(), ViewSettings.local(0, 10))) {
      URI base = URI.create(view.baseUri());
      AtomicBoolean feeding = new AtomicBoolean(true);
      Thread feeder = new Thread(() -> feed(producer, feeding), "feeder");
      feeder.start();
      try (Socket stuck = new Socket()) {
        await(() -> stream(base, "cam").path("sequence").asLong(-1) >= 0, "a first joined frame");
        stuck.setReceiveBufferSize(4096);
        stuck.connect(new InetSocketAddress("127.0.0.1", view.port()), 5000);
        OutputStream request = stuck.getOutputStream();
        request.write("GET /stream/cam/mjpeg HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        request.flush();
        // it never reads: once the socket buffers are full the view's write stalls, and the view closes it
        await(() -> view.droppedViewers() >= 1, () -> "the stuck browser dropped; viewers " + view.viewers() + ", board "
            + board(base));
        assertEquals(0, view.viewers(), "no viewer left behind");

        HttpResponse<InputStream> live = HTTP.send(HttpRequest.newBuilder(base.resolve("/stream/cam/mjpeg")).build(),
            HttpResponse.BodyHandlers.ofInputStream());
        assertTrue(live.headers().firstValue("content-type").orElse("").startsWith("multipart/x-mixed-replace; boundary="));
        try (InputStream parts = live.body()) {
          int frames = 0;
          byte[] marker = "Content-Type: image/jpeg".getBytes(StandardCharsets.US_ASCII);
          int matched = 0;
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
          while (frames < 3) {
            int b = parts.read();
            assertTrue(b >= 0 && System.nanoTime() < deadline, "three frames within 60 s, got " + frames);
            matched = b == marker[matched] ? matched + 1 : (b == marker[0] ? 1 : 0);
            if (matched == marker.length) {
              frames++;
              matched = 0;
            }
          }
        }
      } finally {
        feeding.set(false);
        feeder.join(10_000);
      }
    }
  }

  /** Noisy 640×360 frames (large JPEGs fill a socket fast) and their results, ten a second. */
  private static void feed(KafkaProducer<byte[], byte[]> producer, AtomicBoolean feeding) {
    SplittableRandom random = new SplittableRandom(5);
    byte[] rgb = new byte[640 * 360 * 3];
    for (long seq = 0; feeding.get(); seq++) {
      for (int i = 0; i < rgb.length; i++) {
        rgb[i] = (byte) random.nextInt(256);
      }
      RgbImage image = new RgbImage(640, 360, rgb.clone());
      send(producer, frame("cam", seq, image, "file.mp4"));
      send(producer, result("cam", seq, image));
      producer.flush();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  private static RgbImage solid(int width, int height, int value) {
    byte[] rgb = new byte[3 * width * height];
    java.util.Arrays.fill(rgb, (byte) value);
    return new RgbImage(width, height, rgb);
  }

  private static VideoFrame frame(String stream, long seq, RgbImage image, String uri) {
    EncodedImage jpeg = new EncodedImage(ImageEncoding.JPEG, image.width(), image.height(), ImageCodec.encodeJpeg(image, 95));
    return FrameRecords.frame(stream, seq, seq * 33_333, System.currentTimeMillis(), jpeg, uri, false);
  }

  /** Class 0 on the left half; one instance, #42, boxed at (10, 30) 40×30. */
  private static SegmentationResult result(String stream, long seq, RgbImage image) {
    byte[] labels = new byte[image.width() * image.height()];
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        labels[y * image.width() + x] = (byte) (x < image.width() / 2 ? 0 : 1);
      }
    }
    LabelMap map = new LabelMap(image.width(), image.height(), labels);
    Instance instance = Instance.newBuilder().setId(42).setClassIndex(0).setArea(1200).setBox(new Box(10, 30, 40, 30))
        .setCentroidX(30f).setCentroidY(45f).setContourIndex(-1).build();
    return SegmentationResult.newBuilder(TailResults.result(stream, seq, System.currentTimeMillis(), 20, map))
        .setContours(List.of()).setInstances(List.of(instance)).build();
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, VideoFrame frame) {
    producer.send(new ProducerRecord<>(Topics.FRAMES.name(), frame.getStreamId().getBytes(StandardCharsets.UTF_8),
        Topics.FRAMES.valueSerde().serializer().serialize(Topics.FRAMES.name(), frame)));
    producer.flush();
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, SegmentationResult result) {
    producer.send(new ProducerRecord<>(Topics.MASKS.name(), result.getStreamId().getBytes(StandardCharsets.UTF_8),
        Topics.MASKS.valueSerde().serializer().serialize(Topics.MASKS.name(), result)));
    producer.flush();
  }

  private static KafkaProducer<byte[], byte[]> producer(EmbeddedBroker broker) {
    ByteArraySerializer bytes = new ByteArraySerializer();
    return new KafkaProducer<>(broker.settings().producerProperties(), bytes, bytes);
  }

  private static void assertNear(int[] expected, RgbImage image, int x, int y, String what) {
    for (int c = 0; c < 3; c++) {
      assertTrue(Math.abs(image.get(x, y, c) - expected[c]) <= 6, what + ": at (" + x + ", " + y + ") channel " + c + " is "
          + image.get(x, y, c) + ", expected " + expected[c]);
    }
  }

  private static HttpResponse<byte[]> get(URI uri, String header) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri);
    if (header != null) {
      int colon = header.indexOf(':');
      request.header(header.substring(0, colon), header.substring(colon + 1).trim());
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static JsonNode board(URI base) throws Exception {
    HttpResponse<byte[]> r = get(base.resolve("/streams.json"), "Authorization: Bearer " + TOKEN);
    assertEquals(200, r.statusCode());
    return JSON.readTree(r.body());
  }

  private static List<String> streams(URI base) throws Exception {
    List<String> ids = new ArrayList<>();
    board(base).path("streams").forEach(s -> ids.add(s.path("id").asText()));
    return ids;
  }

  private static JsonNode stream(URI base, String id) throws Exception {
    for (JsonNode s : board(base).path("streams")) {
      if (s.path("id").asText().equals(id)) {
        return s;
      }
    }
    return JSON.createObjectNode();
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private interface Detail {
    String get() throws Exception;
  }

  private static void await(Check check, String what) throws Exception {
    await(check, () -> what);
  }

  private static void await(Check check, Detail what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        fail("not within 60 s: " + what.get());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }
}
