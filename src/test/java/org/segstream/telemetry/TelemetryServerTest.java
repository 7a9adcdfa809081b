package org.segstream.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.config.InvalidSettingException;
import org.segstream.testing.PrometheusText;

/** The real JDK HTTP server on a free port: Prometheus text that parses, health codes that follow the state. */
class TelemetryServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void metricsParseAsPrometheusTextWithTheRecordedValues() throws Exception {
    StreamsHealth health = new StreamsHealth();
    try (PrometheusMetrics metrics = new PrometheusMetrics("process");
        TelemetryServer server = TelemetryServer.start(0, metrics::scrape, health)) {
      metrics.registerStreamsState(health::state);
      for (int i = 0; i < 5; i++) {
        metrics.frameIn("cam-1");
      }
      metrics.frameIn("cam-2");
      metrics.frameOut("cam-1", 40);
      metrics.frameOut("cam-1", 1500);
      metrics.deadLettered("DECODE");
      metrics.batch(2);
      metrics.stageTimes(3f, 1.5f, 12f, 7f, 0.8f);
      metrics.frameDropped("cam-1", "behind");
      metrics.temporal("blended");
      metrics.temporal("blended");
      metrics.temporal("scene_cut");
      health.onChange(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);

      HttpResponse<String> response = get(server, "/metrics");
      assertEquals(200, response.statusCode());
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
      PrometheusText text = PrometheusText.parse(response.body());
      assertEquals(5, text.sum("segstream_frames_in_total", Map.of("component", "process", "stream", "cam-1")));
      assertEquals(1, text.sum("segstream_frames_in_total", Map.of("stream", "cam-2")));
      assertEquals(2, text.sum("segstream_frames_out_total", Map.of("stream", "cam-1")));
      assertEquals(1, text.sum("segstream_dead_letters_total", Map.of("stage", "DECODE")));
      assertEquals(1, text.sum("segstream_frames_dropped_total", Map.of("reason", "behind")));
      assertEquals(2, text.sum("segstream_frames_temporal_total", Map.of("outcome", "blended")));
      assertEquals(1, text.sum("segstream_frames_temporal_total", Map.of("outcome", "scene_cut")));
      assertEquals("histogram", text.type("segstream_process_stage_seconds"));
      assertEquals(1, text.sum("segstream_process_stage_seconds_count", Map.of("stage", "inference")));
      assertEquals(0.012, text.sum("segstream_process_stage_seconds_sum", Map.of("stage", "inference")), 1e-6);
      // 40 ms falls in the 50 ms bucket (not 25 ms), 1.5 s only from the 2 s bucket on
      assertEquals(0, text.sum("segstream_process_capture_to_result_seconds_bucket", Map.of("le", "0.025")));
      assertEquals(1, text.sum("segstream_process_capture_to_result_seconds_bucket", Map.of("le", "0.05")));
      for (int ms = 25; ms <= 300; ms += 25) {
        assertTrue(text.has("segstream_process_capture_to_result_seconds_bucket", Map.of("le", Double.toString(ms / 1000.0))),
            ms + " ms bucket");
      }
      assertEquals(2, text.sum("segstream_process_capture_to_result_seconds_bucket", Map.of("le", "2.0")));
      assertEquals(1, text.sum("segstream_process_batch_size_bucket", Map.of("le", "2.0")));
      assertEquals(1, text.sum("segstream_streams_state", Map.of("state", "RUNNING")));
      assertEquals(1, text.sum("segstream_streams_state", Map.of()), "exactly one state is current");
      assertTrue(text.sum("process_resident_memory_bytes", Map.of()) > 10e6, "RSS of a JVM is tens of MB at least");
      assertTrue(text.sum("jvm_memory_used_bytes", Map.of("area", "heap")) > 0);
    }
  }

  @Test
  void healthFollowsModelAndStreamsState() throws Exception {
    StreamsHealth health = new StreamsHealth();
    try (TelemetryServer server = TelemetryServer.start(0, () -> "", health)) {
      assertEquals(503, get(server, "/health/live").statusCode(), "no model yet");
      assertEquals(503, get(server, "/health/ready").statusCode());
      health.modelLoaded();
      assertEquals(200, get(server, "/health/live").statusCode());
      List<KafkaStreams.State> unready =
          List.of(KafkaStreams.State.CREATED, KafkaStreams.State.REBALANCING, KafkaStreams.State.PENDING_SHUTDOWN, KafkaStreams.State.NOT_RUNNING);
      for (KafkaStreams.State s : unready) {
        health.onChange(s, KafkaStreams.State.CREATED);
        assertEquals(503, get(server, "/health/ready").statusCode(), s + " is not ready");
        assertEquals(200, get(server, "/health/live").statusCode(), s + " is still live");
      }
      health.onChange(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
      HttpResponse<String> ready = get(server, "/health/ready");
      assertEquals(200, ready.statusCode());
      assertEquals("UP Kafka Streams RUNNING\n", ready.body());
      for (KafkaStreams.State s : List.of(KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.ERROR)) {
        health.onChange(s, KafkaStreams.State.RUNNING);
        assertEquals(503, get(server, "/health/live").statusCode(), s + " is dead");
      }
      assertEquals(404, get(server, "/nothing").statusCode());
    }
  }

  @Test
  void aTakenPortIsAUsageError() {
    try (TelemetryServer first = TelemetryServer.start(0, () -> "", Health.always("x"))) {
      InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> TelemetryServer.start(first.port(), () -> "", Health.always("y")));
      assertTrue(e.getMessage().contains("metrics port " + first.port()), e.getMessage());
      assertEquals("metrics-port", e.setting());
    }
  }

  @Test
  void residentMemoryReadsVmRss() {
    assertEquals(123456L * 1024, ResidentMemory.parseVmRss(List.of("Name: java", "VmRSS:\t  123456 kB", "VmSwap: 0 kB")).getAsLong());
    assertFalse(ResidentMemory.parseVmRss(List.of("Name: java")).isPresent());
    assertTrue(ResidentMemory.bytes().getAsLong() > 10e6, "this JVM's own RSS");
  }

  private HttpResponse<String> get(TelemetryServer server, String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void streamLabelsAreCappedAndSanitizedSoHostileIdsCannotGrowOrBreakTheScrape() throws Exception {
    try (PrometheusMetrics metrics = new PrometheusMetrics("process", 3);
        TelemetryServer server = TelemetryServer.start(0, metrics::scrape, Health.always("x"))) {
      PipelineMetrics ingest = metrics.labelled("ingest");
      metrics.registerDeadLetterStages(List.of("DESERIALIZE", "DECODE"));
      metrics.frameIn("cam-1");
      metrics.frameIn("cam\"} 1\nevil_total 99\r\n# x");
      metrics.frameIn("x".repeat(100_000));
      for (int i = 0; i < 5_000; i++) {
        metrics.frameIn("flood-" + i);
        ingest.framePublished("flood-" + i);
        metrics.frameOut("flood-" + i, 5);
        metrics.deadLettered("DECODE"); // dead letters carry no stream label at all
      }
      metrics.frameIn("cam-1");
      PrometheusText text = PrometheusText.parse(get(server, "/metrics").body());
      Set<String> streams = new TreeSet<>();
      for (PrometheusText.Sample sample : text.samples()) {
        String stream = sample.labels().get("stream");
        if (stream != null) {
          streams.add(stream);
          assertTrue(stream.length() <= StreamLabels.MAX_LABEL_CHARS, stream);
        }
      }
      String crafted = "cam_} 1_evil_total 99__# x";
      assertEquals(Set.of("cam-1", crafted, "x".repeat(StreamLabels.MAX_LABEL_CHARS), StreamLabels.OTHER), streams,
          "the first 3 streams and the bucket, whatever later ids arrive");
      assertEquals(2, text.sum("segstream_frames_in_total", Map.of("stream", "cam-1")), "an admitted stream keeps its label");
      assertEquals(5_000, text.sum("segstream_frames_in_total", Map.of("stream", StreamLabels.OTHER)));
      assertEquals(5_000, text.sum("segstream_frames_out_total", Map.of("component", "ingest", "stream", StreamLabels.OTHER)));
      assertEquals(0, text.sum("evil_total", Map.of()));
      assertEquals(5_000, text.sum("segstream_dead_letters_total", Map.of("stage", "DECODE")));
      assertEquals(0, text.sum("segstream_dead_letters_total", Map.of("stage", "DESERIALIZE")), "registered at 0: the rate exists");
      for (PrometheusText.Sample sample : text.samples()) {
        if (sample.name().equals("segstream_dead_letters_total")) {
          assertEquals(Set.of("stage"), sample.labels().keySet(), "dead letters are labelled by stage only");
        }
      }
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"cam-1 | cam-1", "kamera ä1 | kamera ä1", "a\"b\\c | a_b_c", "'' | _", "\u202Eevil | _evil"})
  void labelValuesKeepOnlyHarmlessCharacters(String id, String label) {
    assertEquals(label, StreamLabels.sanitize(id));
  }

  @Test
  void aCapOfZeroCountsEveryStreamAsOther() {
    StreamLabels labels = new StreamLabels(0);
    assertEquals(StreamLabels.OTHER, labels.label("cam-1"));
    assertEquals(0, labels.size());
    assertThrows(IllegalArgumentException.class, () -> new StreamLabels(-1));
  }

  @Test
  void servesOnLoopbackOnlyByDefault() throws Exception {
    InetAddress external = nonLoopbackAddress();
    try (TelemetryServer server = TelemetryServer.start(0, () -> "", Health.always("x"))) {
      assertTrue(server.address().isLoopbackAddress(), "bound to " + server.address());
      assertEquals(200, get(server, "/health/live").statusCode());
      Assumptions.assumeTrue(external != null, "this machine has no non-loopback IPv4 address to try");
      assertThrows(ConnectException.class, () -> http.send(
          HttpRequest.newBuilder(URI.create("http://" + external.getHostAddress() + ":" + server.port() + "/health/live")).build(),
          HttpResponse.BodyHandlers.ofString()), "not reachable from " + external.getHostAddress());
    }
    try (TelemetryServer everywhere = TelemetryServer.start("0.0.0.0", 0, () -> "", Health.always("x"))) {
      assertTrue(everywhere.address().isAnyLocalAddress());
      assertEquals(200, http.send(
          HttpRequest.newBuilder(URI.create("http://" + external.getHostAddress() + ":" + everywhere.port() + "/health/live")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode(), "0.0.0.0 answers on " + external.getHostAddress());
    }
  }

  @Test
  void anUnknownHostIsAUsageError() {
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> TelemetryServer.start("no-such-host.invalid", 0, () -> "", Health.always("x")));
    assertTrue(e.getMessage().contains("metrics host no-such-host.invalid"), e.getMessage());
  }

  /** An IPv4 address of this machine that is not loopback, or null. */
  static InetAddress nonLoopbackAddress() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
          return address;
        }
      }
    }
    return null;
  }
}
