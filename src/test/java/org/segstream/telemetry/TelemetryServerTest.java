package org.segstream.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.segstream.config.UsageException;
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
      metrics.deadLettered("cam-2", "DECODE");
      metrics.batch(2);
      metrics.stageTimes(3f, 1.5f, 12f, 7f, 0.8f);
      metrics.frameDropped("cam-1", "behind");
      health.onChange(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);

      HttpResponse<String> response = get(server, "/metrics");
      assertEquals(200, response.statusCode());
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
      PrometheusText text = PrometheusText.parse(response.body());
      assertEquals(5, text.sum("segstream_frames_in_total", Map.of("component", "process", "stream", "cam-1")));
      assertEquals(1, text.sum("segstream_frames_in_total", Map.of("stream", "cam-2")));
      assertEquals(2, text.sum("segstream_frames_out_total", Map.of("stream", "cam-1")));
      assertEquals(1, text.sum("segstream_dead_letters_total", Map.of("stream", "cam-2", "stage", "DECODE")));
      assertEquals(1, text.sum("segstream_frames_dropped_total", Map.of("reason", "behind")));
      assertEquals("histogram", text.type("segstream_process_stage_seconds"));
      assertEquals(1, text.sum("segstream_process_stage_seconds_count", Map.of("stage", "inference")));
      assertEquals(0.012, text.sum("segstream_process_stage_seconds_sum", Map.of("stage", "inference")), 1e-6);
      // 40 ms falls in the 50 ms bucket, 1.5 s only from the 2 s bucket on
      assertEquals(1, text.sum("segstream_process_capture_to_result_seconds_bucket", Map.of("le", "0.05")));
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
      UsageException e = assertThrows(UsageException.class, () -> TelemetryServer.start(first.port(), () -> "", Health.always("y")));
      assertTrue(e.getMessage().contains("--metrics-port " + first.port()));
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
}
