package org.segstream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.avro.SegmentationResult;
import org.segstream.results.StreamCollector;
import org.segstream.ingest.FileSource;
import org.segstream.ingest.IngestSettings;
import org.segstream.ingest.Ingestor;
import org.segstream.ingest.Pacing;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.testing.PrometheusText;
import org.segstream.testing.SharedData;
import org.segstream.testing.TestModels;

/**
 * {@code process --metrics-port} as a child JVM: /health/ready goes 503 → 200 → 503 across start
 * and stop, and /metrics (parsed as Prometheus text) counts exactly the frames processed.
 */
class MetricsIT {
  @TempDir Path dir;

  @Test
  void metricsCountTheFramesAndReadinessFollowsTheLifecycle() throws Exception {
    Path cat = SharedData.path("video/cat.mp4");
    Path model = TestModels.tiny();
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      Path kafkaConfig = dir.resolve("kafka.properties");
      Files.writeString(kafkaConfig, "session.timeout.ms=6000\nheartbeat.interval.ms=1000\ntransaction.timeout.ms=5000\n");
      List<String> args = List.of(
          "--bootstrap-servers", broker.bootstrapServers(), "--kafka-config", kafkaConfig.toString(),
          "--model", model.toString(), "--refine", "off", "--application-id", "metrics-it",
          "--instance-id", "metrics-it", "--state-dir", dir.resolve("state").toString());
      try (ProcessorJvm processor = ProcessorJvm.start(args, dir.resolve("process.log"))) {
        processor.port(Duration.ofSeconds(60));
        // the server is up before the model loads and Streams starts: readiness is seen going 503 → 200
        List<Integer> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
          int status = processor.status("/health/ready");
          if (seen.isEmpty() || seen.get(seen.size() - 1) != status) {
            seen.add(status);
          }
          if (status == 200) {
            break;
          }
          assertTrue(System.nanoTime() < deadline && processor.process().isAlive(), "ready within 2 min; seen " + seen + "\n" + processor.logText());
          Thread.sleep(20);
        }
        assertTrue(seen.indexOf(503) >= 0 && seen.indexOf(503) < seen.indexOf(200), "503 before 200: " + seen);
        assertEquals(200, processor.status("/health/live"));

        List<SegmentationResult> results;
        try (StreamCollector collector = StreamCollector.open(broker.settings(), Set.of("cat"))) {
          new Ingestor(broker.settings()).ingest(new FileSource(cat), IngestSettings.of("cat").withPacing(new Pacing.Max()));
          results = collector.collectUntilEndOfStream(Duration.ofMinutes(4), r -> {});
        }
        long frames = results.stream().filter(r -> !r.getEndOfStream()).count();
        assertEquals(149, frames);

        HttpResponse<String> response = processor.get("/metrics");
        assertEquals(200, response.statusCode());
        PrometheusText metrics = PrometheusText.parse(response.body());
        Map<String, String> catProcess = Map.of("component", "process", "stream", "cat");
        assertEquals(149, metrics.sum("segstream_frames_in_total", catProcess), "frames in");
        assertEquals(149, metrics.sum("segstream_frames_out_total", catProcess), "frames out");
        assertEquals(0, metrics.sum("segstream_dead_letters_total", Map.of()), "no dead letters");
        assertEquals(149, metrics.sum("segstream_process_batch_size_sum", Map.of()), "every frame in one model call");
        // a batch of b frames gives b results that each say b: the model calls are the sum of 1/b
        double batches = results.stream().filter(r -> !r.getEndOfStream()).mapToDouble(r -> 1.0 / r.getBatchSize()).sum();
        assertEquals(Math.round(batches), metrics.sum("segstream_process_batch_size_count", Map.of()), "model calls");
        for (String stage : List.of("queue_wait", "decode", "inference", "refine", "encode")) {
          assertEquals(149, metrics.sum("segstream_process_stage_seconds_count", Map.of("stage", stage)), stage);
        }
        assertEquals(149, metrics.sum("segstream_process_capture_to_result_seconds_count", Map.of()));
        assertEquals(149, metrics.sum("segstream_process_capture_to_result_seconds_bucket", Map.of("le", "+Inf")));
        assertEquals(1, metrics.sum("segstream_streams_state", Map.of("state", "RUNNING")));
        // one stream, temporal on by default: every frame counted once, all but the stream's first blended
        assertEquals(149, metrics.sum("segstream_frames_temporal_total", Map.of()), "temporal outcomes");
        assertTrue(metrics.sum("segstream_frames_temporal_total", Map.of("outcome", "blended")) >= 100,
            "most of cat.mp4's frames kept some of the one before");
        assertTrue(metrics.sum("process_resident_memory_bytes", Map.of()) > 100e6, "RSS includes TensorFlow's natives");
        assertTrue(metrics.sum("jvm_memory_used_bytes", Map.of("area", "heap")) > 0);
        // Kafka's own metrics of the Streams application, tagged with the component. A client's metrics come and go
        // as it runs (a partition's lag once it is fetched) and reach /metrics at the next look-up, every 5 s.
        List<String> kafkaMetrics = List.of("kafka_stream_thread_commit_latency_avg", "kafka_producer_record_error_total",
            "kafka_consumer_fetch_manager_records_lag_max");
        long kafkaStart = System.nanoTime();
        long kafkaDeadline = kafkaStart + Duration.ofSeconds(30).toNanos();
        List<String> missingKafka = missingFromProcess(metrics, kafkaMetrics);
        while (!missingKafka.isEmpty() && System.nanoTime() < kafkaDeadline) {
          Thread.sleep(250);
          metrics = processor.scrape();
          missingKafka = missingFromProcess(metrics, kafkaMetrics);
        }
        assertEquals(List.of(), missingKafka, "Kafka's metrics with component=process within 30 s");
        System.out.printf("MetricsIT: Kafka's metrics on /metrics %d ms after the first scrape%n",
            (System.nanoTime() - kafkaStart) / 1_000_000);
        assertEquals(0, metrics.sum("kafka_producer_record_error_total", Map.of("component", "process")), "no send failed");

        // SIGTERM: Streams shuts down, readiness answers 503 before the server goes away
        processor.process().destroy();
        long stopDeadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        int status;
        while ((status = processor.status("/health/ready")) == 200) {
          assertTrue(System.nanoTime() < stopDeadline, "still ready 40 s after SIGTERM");
          Thread.sleep(10);
        }
        assertEquals(503, status, "unready (not gone) while stopping");
        assertTrue(processor.process().waitFor(40, java.util.concurrent.TimeUnit.SECONDS), "stops within 40 s");
      }
    }
  }

  /** Those of {@code names} with no sample tagged {@code component=process}. */
  private static List<String> missingFromProcess(PrometheusText metrics, List<String> names) {
    return names.stream()
        .filter(n -> metrics.samples().stream().noneMatch(s -> s.name().equals(n) && "process".equals(s.labels().get("component"))))
        .toList();
  }
}
