package org.segstream.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The view's small HTTP server: requests parsed, and a client that stops reading cut off instead of waited for. */
class HttpLoopTest {
  @Test
  void parsesTheRequestLineTheQueryAndTheHeaders() throws IOException {
    HttpLoop.Request r = HttpLoop.read(new ByteArrayInputStream(
        "GET /stream/a%20b/mjpeg?token=x%2By&n=1 HTTP/1.1\r\nHost: h\r\nCookie: c=1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("GET", r.method());
    assertEquals("/stream/a%20b/mjpeg", r.path(), "the path stays encoded: ids are decoded per segment");
    assertEquals("x+y", r.query().get("token"));
    assertEquals("c=1", r.headers().get("cookie"));
    assertEquals(null, HttpLoop.read(new ByteArrayInputStream("nonsense\r\n\r\n".getBytes(StandardCharsets.US_ASCII))));
    assertEquals(null, HttpLoop.read(new ByteArrayInputStream("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII))),
        "a head that never ends");
  }

  @Test
  void aClientThatStopsReadingIsCutOffAfterTheStallTime() throws Exception {
    CountDownLatch ended = new CountDownLatch(1);
    AtomicReference<Exception> how = new AtomicReference<>();
    byte[] chunk = new byte[256 * 1024];
    try (HttpLoop http = HttpLoop.start("127.0.0.1", 0, (request, connection) -> {
      try {
        while (true) {
          connection.send(chunk);
        }
      } catch (IOException e) {
        how.set(e);
        ended.countDown();
        throw e;
      }
    });
        Socket client = new Socket()) {
      client.setReceiveBufferSize(4096);
      client.connect(new InetSocketAddress("127.0.0.1", http.port()), 5000);
      OutputStream out = client.getOutputStream();
      out.write("GET /live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long begin = System.nanoTime();
      assertTrue(ended.await(HttpLoop.STALL_MILLIS + 10_000, TimeUnit.MILLISECONDS), "the stuck write was cut off");
      double seconds = (System.nanoTime() - begin) / 1e9;
      assertTrue(seconds >= HttpLoop.STALL_MILLIS / 1000.0 - 0.5, "not before the stall time: " + seconds + " s");
      assertEquals(1, http.stalledClosed());
      InputStream in = client.getInputStream();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      byte[] buffer = new byte[1 << 16];
      while (in.read(buffer) >= 0) {
        if (System.nanoTime() > deadline) {
          fail("the connection was not closed");
        }
      }
      LockSupport.parkNanos(1);
    }
  }
}
