package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.testing.PrometheusText;
import org.segstream.testing.RtspServer;
import org.segstream.testing.SharedData;
import org.segstream.testing.TestModels;

/** {@code segstream run}: ingest and process in one process, ended by its files or by Ctrl-C (SIGTERM). */
class RunCommandIT {
  private static final String PASSWORD = "Run-pa55word";
  private static final Pattern METRICS_LINE = Pattern.compile("metrics at http://(?:\\[[^]]*]|[^:/]+):(\\d+)/metrics");
  private static final Pattern RESULTS = Pattern.compile("results: (\\d+) \\(");
  private static final Pattern VIEW_LINE = Pattern.compile("live view at (http://127\\.0\\.0\\.1:\\d+)/");
  @TempDir Path dir;

  @Test
  void aLiveFeedIsSegmentedUntilCtrlCThenBothPartsShutDownCleanly() throws Exception {
    Path cat = SharedData.path("video/cat.mp4");
    Path model = TestModels.tiny();
    Path log = dir.resolve("run.log");
    try (RtspServer rtsp = RtspServer.start(cat, RtspServer.freePort(), "cam")) {
      List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-jar",
          Path.of(System.getProperty("segstream.jar", "target/segstream.jar")).toAbsolutePath().toString(), "run",
          "--input", rtsp.url("viewer:" + PASSWORD + "@"), "--stream-id", "door", "--model", model.toString(),
          "--stats-interval", "1s", "--metrics-port", "0", "--view-port", "0");
      Process run = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (resultsSoFar(log) < 30) {
          if (!run.isAlive()) {
            fail("run exited " + run.exitValue() + " before results arrived:\n" + read(log));
          }
          if (System.nanoTime() > deadline) {
            fail("fewer than 30 results within 180 s:\n" + read(log));
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        assertMetricsCountBothSides(read(log));
        assertTheViewShowsOnlyTheRunsStream(read(log));
        run.destroy(); // SIGTERM: what Ctrl-C does, through the shutdown hook
        assertTrue(run.waitFor(60, TimeUnit.SECONDS), "run did not shut down within 60 s:\n" + read(log));
      } finally {
        run.destroyForcibly();
      }
    }
    String output = read(log);
    assertTrue(output.contains("running 1 source(s) through"), output);
    assertTrue(output.contains("warmed up the whole path with 150 frames of stream warm-up-"),
        "a camera's run first warms the path up with 5 s of frames:\n" + output);
    assertTrue(output.indexOf("warmed up the whole path") < output.indexOf("running 1 source(s) through"),
        "the warm-up comes back before the sources open:\n" + output);
    assertTrue(output.contains("rtsp://***@127.0.0.1:"), output);
    assertTrue(output.contains("ingested door:"), "the ingest published its end of stream:\n" + output);
    assertTrue(output.contains(": ended (stopped)"), output);
    assertFalse(output.contains(PASSWORD), "the password leaked:\n" + output);
    assertFalse(output.contains("Exception"), "a clean shutdown, no stack traces:\n" + output);
  }

  @Test
  void aFileRunsToItsLastResultAndExitsZero() {
    Path cat = SharedData.path("video/cat.mp4");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SegstreamCli.execute(new String[] {"run", "--input", cat.toString(), "--stream-id", "cat", "--rate", "max",
        "--model", TestModels.tiny().toString(), "--stats-interval", "0"}, Map.of(), new PrintWriter(out, true),
        new PrintWriter(err, true));
    assertEquals(0, code, err + "\n" + out);
    assertTrue(out.toString().contains("ingested cat: 149 frames"), out.toString());
    assertTrue(out.toString().contains("149 results published to segstream.masks"), out.toString());
  }

  @Test
  void aMissingModelFailsAtStartUpNamingIt() {
    Path missing = dir.resolve("no-such-model");
    StringWriter err = new StringWriter();
    int code = SegstreamCli.execute(new String[] {"run", "--input", "rtsp://u:" + PASSWORD + "@127.0.0.1:1/x",
        "--model", missing.toString()}, Map.of(), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    assertEquals(ExitCodes.RUNTIME_FAILURE, code, err.toString());
    assertTrue(err.toString().contains(missing.toString()), err.toString());
    assertFalse(err.toString().contains(PASSWORD), err.toString());
  }

  /** /metrics labels the ingest side and the processor apart, and the processor is ready. */
  private static void assertMetricsCountBothSides(String output) throws Exception {
    Matcher port = METRICS_LINE.matcher(output);
    assertTrue(port.find(), "run printed where its metrics are:\n" + output);
    URI base = URI.create("http://127.0.0.1:" + port.group(1));
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(base.resolve("/health/ready")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ready.statusCode(), ready.body());
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    PrometheusText metrics = PrometheusText.parse(response.body());
    double published = metrics.sum("segstream_frames_out_total", Map.of("component", "ingest", "stream", "door"));
    double segmented = metrics.sum("segstream_frames_out_total", Map.of("component", "process", "stream", "door"));
    assertTrue(segmented >= 30, "results counted by the processor: " + segmented);
    assertTrue(published >= segmented, "published " + published + " >= segmented " + segmented);
    assertEquals(segmented, metrics.sum("segstream_frames_out_total", Map.of("component", "process")),
        "the processor's figures count no frame of the warm-up stream");
  }

  /** The live view starts after the warm-up: the camera's stream is on it, the warm-up stream is not. */
  private static void assertTheViewShowsOnlyTheRunsStream(String output) throws Exception {
    Matcher view = VIEW_LINE.matcher(output);
    assertTrue(view.find(), "run printed where its view is:\n" + output);
    HttpResponse<String> streams = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(view.group(1) + "/streams.json")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, streams.statusCode(), streams.body());
    assertTrue(streams.body().contains("\"door\""), streams.body());
    assertFalse(streams.body().contains("warm-up-"), "the view shows no warm-up stream: " + streams.body());
  }

  private static long resultsSoFar(Path log) {
    Matcher m = RESULTS.matcher(read(log));
    long last = 0;
    while (m.find()) {
      last = Long.parseLong(m.group(1));
    }
    return last;
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (java.io.IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
