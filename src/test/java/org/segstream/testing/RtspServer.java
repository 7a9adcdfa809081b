package org.segstream.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real RTSP server on 127.0.0.1: GStreamer's, from Debian, driven by {@code rtsp/serve.py} with
 * {@code /usr/bin/python3}. It serves a file's H.264 in real time to each client from the start.
 * Absent packages skip the test, or fail it under {@code SEGSTREAM_REQUIRE_ALL=1}.
 */
public final class RtspServer implements AutoCloseable {
  public static final String PYTHON = "/usr/bin/python3";
  private static final String PACKAGES =
      "gir1.2-gst-rtsp-server-1.0 python3-gst-1.0 python3-gi gstreamer1.0-plugins-good gstreamer1.0-plugins-bad";

  private final Process process;
  private final int port;
  private final String mount;

  private RtspServer(Process process, int port, String mount) {
    this.process = process;
    this.port = port;
    this.mount = mount;
  }

  /** Skips (or fails in CI) when GStreamer's RTSP server cannot be used from Python here. */
  public static void requireAvailable() {
    SharedData.requireWorking(PACKAGES, PYTHON, "-c",
        "import gi; gi.require_version('Gst', '1.0'); gi.require_version('GstRtspServer', '1.0');"
            + " from gi.repository import Gst, GstRtspServer; Gst.init(None);"
            + " import sys; sys.exit(0 if all(Gst.ElementFactory.find(e) for e in"
            + " ('qtdemux', 'h264parse', 'rtph264pay')) else 3)");
  }

  /** A free TCP port on loopback (free now; the server binds it moments later). */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts serving {@code video} at {@code rtsp://127.0.0.1:port/mount}; returns once it listens. */
  public static RtspServer start(Path video, int port, String mount) {
    requireAvailable();
    Path script;
    try {
      script = Path.of(RtspServer.class.getResource("/rtsp/serve.py").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    try {
      Process p = new ProcessBuilder(PYTHON, script.toString(), Integer.toString(port), video.toString(), mount)
          .redirectErrorStream(true).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
        try {
          StringBuilder seen = new StringBuilder();
          String line;
          while ((line = out.readLine()) != null) {
            if (line.startsWith("ready ")) {
              return line;
            }
            seen.append(line).append('\n');
          }
          return "exited: " + seen;
        } catch (IOException e) {
          return "exited: " + e.getMessage();
        }
      });
      String line;
      try {
        line = ready.get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
        throw new IllegalStateException("the RTSP server did not report ready within 60 s", e);
      }
      if (!line.startsWith("ready ")) {
        p.destroyForcibly();
        throw new IllegalStateException("the RTSP server failed: " + line);
      }
      // keep draining its output so it never blocks on a full pipe
      Thread drain = new Thread(() -> {
        try {
          while (out.readLine() != null) {
            // discard
          }
        } catch (IOException e) {
          // the process ended
        }
      }, "rtsp-server-output");
      drain.setDaemon(true);
      drain.start();
      return new RtspServer(p, port, mount);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  /** The stream's URL, with {@code userInfo} (e.g. {@code "user:password@"}) or "". */
  public String url(String userInfo) {
    return "rtsp://" + userInfo + "127.0.0.1:" + port + "/" + mount;
  }

  /** Freezes the server (SIGSTOP): connections stay open but nothing flows — a hung camera. */
  public void freeze() {
    signal("STOP");
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Kills the server hard (SIGKILL works on a frozen process too) and waits until it is gone. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
