package org.segstream.view;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A viewer as a browser would be, without the browser: on its own thread it opens a stream's MJPEG (retrying until
 * the stream is there) and reads it to the end, counting the frames. For benchmarks that attach a viewer.
 */
public final class MjpegViewer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MjpegViewer.class);
  private static final byte[] PART = "Content-Type: image/jpeg".getBytes(StandardCharsets.US_ASCII);

  private final URI uri;
  private final Thread thread;
  private final AtomicLong frames = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private volatile boolean stopRequested;
  private volatile InputStream body;

  private MjpegViewer(URI uri) {
    this.uri = uri;
    this.thread = new Thread(this::watch, "segstream-mjpeg-viewer");
    thread.setDaemon(true);
  }

  /** Starts watching {@code streamId} on the view at {@code baseUri} ({@code http://host:port}). */
  public static MjpegViewer watch(String baseUri, String streamId) {
    MjpegViewer viewer = new MjpegViewer(URI.create(baseUri + "/stream/"
        + URLEncoder.encode(streamId, StandardCharsets.UTF_8).replace("+", "%20") + "/mjpeg"));
    viewer.thread.start();
    return viewer;
  }

  /** Frames received so far. */
  public long frames() {
    return frames.get();
  }

  /** Bytes received so far. */
  public long bytes() {
    return bytes.get();
  }

  private void watch() {
    HttpClient http = HttpClient.newHttpClient();
    while (!stopRequested) {
      try {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofInputStream());
        body = response.body();
        try (InputStream in = body) {
          if (response.statusCode() != 200) {
            LockSupport.parkNanos(50_000_000L); // the stream is not there yet
            continue;
          }
          count(in);
        }
      } catch (IOException e) {
        if (!stopRequested) {
          log.debug("the MJPEG viewer's connection ended: {}", e.toString());
          LockSupport.parkNanos(50_000_000L);
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void count(InputStream in) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    int matched = 0;
    for (int n = in.read(buffer); n >= 0 && !stopRequested; n = in.read(buffer)) {
      bytes.addAndGet(n);
      for (int i = 0; i < n; i++) {
        byte b = buffer[i];
        matched = b == PART[matched] ? matched + 1 : (b == PART[0] ? 1 : 0);
        if (matched == PART.length) {
          frames.incrementAndGet();
          matched = 0;
        }
      }
    }
  }

  @Override
  public void close() {
    stopRequested = true;
    thread.interrupt();
    InputStream in = body;
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        log.debug("closing the MJPEG viewer: {}", e.toString());
      }
    }
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
