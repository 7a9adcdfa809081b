package org.segstream.view;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicInteger;
import org.segstream.image.ImageCodec;
import org.segstream.image.RgbImage;
import org.segstream.kafka.KafkaSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live view: follows the frames, results and dead-letter topics ({@link TopicFollower}) and serves
 * <ul>
 *   <li>{@code /}: the live streams, each playing with its figures (fps, latency, dead letters), updated live;
 *   <li>{@code /streams.json}: the same figures;
 *   <li>{@code /stream/ID}: one stream, large;
 *   <li>{@code /stream/ID/mjpeg}: the stream as MJPEG ({@code multipart/x-mixed-replace}): frames composited on
 *       the server, so a browser shows them in a plain {@code <img>} with no script;
 *   <li>{@code /stream/ID/snapshot.png}: the latest composited frame as PNG.
 * </ul>
 * Why MJPEG of server-composited JPEGs: one JPEG per shown frame is the only work (a few ms at 640×360), done only
 * while someone watches, at most {@link #MAX_FPS} per stream; the browser decodes it natively, with one frame of
 * latency and no script. Server-sent events or a WebSocket would carry the same JPEG (plus base64 or framing) and
 * need a script to draw it, or send the label map to draw with a canvas, which costs every viewer's CPU instead.
 * Each viewer gets the latest frame only: while its socket is busy, newer frames replace older ones, and a socket
 * stuck for seconds is closed ({@link HttpLoop}).
 */
public final class ViewServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ViewServer.class);
  /** Frames shown per second per stream, at most: the compositing cost is bounded by it. */
  public static final int MAX_FPS = 12;
  /** Live MJPEG viewers at once, over all streams; browsers beyond get 503. */
  public static final int MAX_VIEWERS = 32;
  static final String BOUNDARY = "segstreamframe";
  static final String COOKIE = "segstream_view";
  /** A viewer with no new frame for this long gets the last one again: it finds a vanished browser. */
  private static final long KEEPALIVE_MILLIS = 5_000;

  private final ViewSettings settings;
  private final StreamBoard board;
  private final TopicFollower follower;
  private final HttpLoop http;
  private final AtomicInteger viewers = new AtomicInteger();

  private ViewServer(ViewSettings settings, StreamBoard board, TopicFollower follower, HttpLoop http) {
    this.settings = settings;
    this.board = board;
    this.follower = follower;
    this.http = http;
  }

  /**
   * Starts reading the topics from their ends, then serving.
   *
   * @throws org.segstream.config.InvalidSettingException when the address cannot be served
   * @throws IllegalStateException when the topics do not exist
   */
  public static ViewServer start(KafkaSettings kafka, ViewSettings settings) {
    StreamBoard board = new StreamBoard(settings.maxStreams(), settings.joinTimeout().toNanos(), 1_000_000_000L / MAX_FPS);
    TopicFollower follower = TopicFollower.start(kafka, board);
    ViewServer[] self = new ViewServer[1];
    HttpLoop http;
    try {
      http = HttpLoop.start(settings.host(), settings.port(), (request, connection) -> self[0].handle(request, connection));
    } catch (RuntimeException e) {
      follower.close();
      throw e;
    }
    self[0] = new ViewServer(settings, board, follower, http);
    log.info("live view at {}", self[0].baseUri());
    return self[0];
  }

  public int port() {
    return http.port();
  }

  /** {@code http://HOST:PORT} as bound, an IPv6 host in brackets. */
  public String baseUri() {
    String host = http.address().getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  /** Browsers dropped because they stopped reading. */
  long droppedViewers() {
    return http.stalledClosed();
  }

  /** Live MJPEG viewers now. */
  int viewers() {
    return viewers.get();
  }

  private void handle(HttpLoop.Request request, HttpLoop.Connection connection) throws IOException, InterruptedException {
    boolean tokenInQuery = settings.token() != null && matches(request.query().get("token"));
    if (settings.token() != null && !tokenInQuery && !authorized(request)) {
      connection.respondText(request, 401, "this view needs its token: open it as /?token=TOKEN (the --view-token)");
      return;
    }
    // a token given in the address becomes a cookie, so the page's images and requests carry it
    String[] cookie = tokenInQuery
        ? new String[] {"Set-Cookie: " + COOKIE + "=" + settings.token() + "; Path=/; HttpOnly; SameSite=Strict"}
        : new String[0];
    String path = request.path();
    if (path.equals("/")) {
      connection.respond(request, 200, "text/html; charset=utf-8",
          ViewPage.index(board.figures(System.nanoTime())).getBytes(StandardCharsets.UTF_8), cookie);
    } else if (path.equals("/streams.json")) {
      connection.respond(request, 200, "application/json",
          ViewPage.json(board, System.nanoTime()).getBytes(StandardCharsets.UTF_8), cookie);
    } else if (path.startsWith("/stream/")) {
      stream(request, connection, path.substring("/stream/".length()), cookie);
    } else {
      connection.respondText(request, 404, "not found: try / or /streams.json");
    }
  }

  private void stream(HttpLoop.Request request, HttpLoop.Connection connection, String rest, String[] cookie)
      throws IOException, InterruptedException {
    int slash = rest.indexOf('/');
    String id = URLDecoder.decode(slash < 0 ? rest : rest.substring(0, slash), StandardCharsets.UTF_8);
    String what = slash < 0 ? "" : rest.substring(slash + 1);
    LiveStream stream = board.stream(id);
    if (stream == null) {
      connection.respondText(request, 404, "no live stream " + ViewPage.printable(id) + ": see / for the live ones");
      return;
    }
    switch (what) {
      case "" -> connection.respond(request, 200, "text/html; charset=utf-8",
          ViewPage.single(stream.figures(System.nanoTime())).getBytes(StandardCharsets.UTF_8), cookie);
      case "snapshot.png" -> snapshot(request, connection, stream);
      case "mjpeg" -> mjpeg(request, connection, stream);
      default -> connection.respondText(request, 404, "not found: a stream has /mjpeg and /snapshot.png");
    }
  }

  private void snapshot(HttpLoop.Request request, HttpLoop.Connection connection, LiveStream stream) throws IOException {
    LiveStream.Joined latest = stream.latest();
    if (latest == null) {
      connection.respondText(request, 503, "no frame of " + ViewPage.printable(stream.id()) + " has its result yet");
      return;
    }
    RgbImage image = Compositor.compose(latest.frame(), latest.result());
    connection.respond(request, 200, "image/png", ImageCodec.encodePng(image),
        "X-Segstream-Sequence: " + latest.frame().getSequence());
  }

  private void mjpeg(HttpLoop.Request request, HttpLoop.Connection connection, LiveStream stream)
      throws IOException, InterruptedException {
    if (viewers.incrementAndGet() > MAX_VIEWERS) {
      viewers.decrementAndGet();
      connection.respondText(request, 503, "too many live viewers (" + MAX_VIEWERS + "): try the snapshot, or later");
      return;
    }
    try {
      connection.send(("HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace; boundary=" + BOUNDARY + "\r\n"
          + "Cache-Control: no-store\r\nConnection: close\r\n\r\n--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII));
      if (request.method().equals("HEAD")) {
        return;
      }
      long shown = 0;
      long minGapNanos = 1_000_000_000L / MAX_FPS;
      long lastSent = System.nanoTime() - minGapNanos;
      byte[] jpeg = null;
      while (!Thread.currentThread().isInterrupted()) {
        long wait = minGapNanos - (System.nanoTime() - lastSent);
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
        }
        LiveStream.Joined latest = stream.awaitNewer(shown, KEEPALIVE_MILLIS);
        if (board.stream(stream.id()) != stream) {
          return; // the stream was dropped (ended or idle)
        }
        if (latest != null && latest.version() > shown) {
          jpeg = stream.jpeg(latest);
          shown = latest.version();
        }
        if (jpeg != null) {
          // the boundary right after the frame: a browser shows a part once the next boundary arrives
          connection.send(("Content-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\nX-Segstream-Sequence: "
              + (latest == null ? -1 : latest.frame().getSequence()) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
              jpeg, ("\r\n--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII));
          lastSent = System.nanoTime();
        }
      }
    } finally {
      viewers.decrementAndGet();
    }
  }

  private boolean authorized(HttpLoop.Request request) {
    String auth = request.headers().get("authorization");
    if (auth != null && auth.startsWith("Bearer ") && matches(auth.substring("Bearer ".length()).trim())) {
      return true;
    }
    String cookies = request.headers().get("cookie");
    if (cookies != null) {
      for (String c : cookies.split(";")) {
        String t = c.trim();
        if (t.startsWith(COOKIE + "=") && matches(t.substring(COOKIE.length() + 1))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Compares in constant time, so the token cannot be found a character at a time. */
  private boolean matches(String given) {
    return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
        settings.token().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    http.close();
    follower.close();
    board.releaseAll();
  }
}
