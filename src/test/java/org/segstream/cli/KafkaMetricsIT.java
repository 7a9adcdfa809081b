package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.pipeline.LocalRun;
import org.segstream.testing.GrafanaDashboard;
import org.segstream.testing.PrometheusText;
import org.segstream.testing.SharedData;
import org.segstream.testing.TestModels;

/**
 * {@code segstream run --metrics-port} as a child JVM on a real broker: Kafka's own consumer lag shows on /metrics
 * while frames wait, tagged with the component, and every metric the Grafana dashboard queries is there.
 */
class KafkaMetricsIT {
  private static final Pattern METRICS_LINE = Pattern.compile("metrics at http://(?:\\[[^]]*]|[^:/]+):(\\d+)/metrics");
  private static final String LAG = "kafka_consumer_fetch_manager_records_lag";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;

  @Test
  void consumerLagShowsDuringRunAndEveryDashboardMetricExists() throws Exception {
    Path cat = SharedData.path("video/cat.mp4");
    Path dog = SharedData.path("video/dog.mp4");
    Set<String> dashboardNames = GrafanaDashboard.metricNames(GrafanaDashboard.read());
    // Kafka Streams reads ahead of processing (buffered.records.per.partition, 1000 by default), and records-lag
    // counts what the consumer has not read yet: with a small read-ahead it counts the frames not yet segmented
    Path kafkaConfig = dir.resolve("kafka.properties");
    Files.writeString(kafkaConfig, "buffered.records.per.partition=4\nmax.poll.records=4\n");
    Path log = dir.resolve("run.log");
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-jar",
          Path.of(System.getProperty("segstream.jar", "target/segstream.jar")).toAbsolutePath().toString(), "run",
          "--input", cat.toString(), "--stream-id", "cat", "--input", dog.toString(), "--stream-id", "dog",
          "--rate", "max", "--max-size", "480", "--model", TestModels.tiny().toString(), "--stats-interval", "0",
          "--metrics-port", "0", "--bootstrap-servers", broker.bootstrapServers(), "--kafka-config", kafkaConfig.toString());
      Process run = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        URI metricsUri = URI.create("http://127.0.0.1:" + port(run, log) + "/metrics");
        double maxLag = 0;
        Set<String> missing = null;
        boolean resultMeterLag = false; // run's own reader of the masks topic, tagged apart
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (maxLag <= 0 || !resultMeterLag || missing == null || !missing.isEmpty()) {
          if (!run.isAlive()) {
            fail("run exited " + run.exitValue() + " before /metrics showed lag (max seen " + maxLag + ", the result meter's "
                + resultMeterLag + ") and every dashboard metric (missing: " + missing + "):\n" + read(log));
          }
          if (System.nanoTime() > deadline) {
            fail("within 240 s, /metrics showed lag " + maxLag + " (the result meter's: " + resultMeterLag + ") and lacked "
                + missing + ":\n" + read(log));
          }
          PrometheusText metrics = PrometheusText.parse(get(metricsUri));
          double lag = metrics.sum(LAG, Map.of("component", "process", "topic", "segstream.frames"));
          maxLag = Math.max(maxLag, lag);
          if (lag > 0) {
            assertEquals(lag, metrics.sum(LAG, Map.of("topic", "segstream.frames")), "only the processor reads the frames");
            assertTrue(lag <= 149 + 289, "lag " + lag + " is at most the frames published");
            assertTrue(metrics.has(LAG + "_max"), "records-lag-max too");
          }
          resultMeterLag |= metrics.samples().stream().anyMatch(s -> s.name().equals(LAG)
              && LocalRun.RESULT_METER.equals(s.labels().get("component")) && "segstream.masks".equals(s.labels().get("topic")));
          missing = new TreeSet<>(dashboardNames);
          missing.removeIf(metrics::has);
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
        }
        System.out.printf("KafkaMetricsIT: largest processor lag seen on /metrics %.0f records; %d dashboard metrics present%n",
            maxLag, dashboardNames.size());
        assertTrue(run.waitFor(240, TimeUnit.SECONDS), "run did not end with its files within 240 s:\n" + read(log));
        assertEquals(0, run.exitValue(), read(log));
      } finally {
        run.destroyForcibly();
      }
    }
    String output = read(log);
    assertTrue(output.contains("438 results published to segstream.masks"), output);
  }

  private static int port(Process run, Path log) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      Matcher m = METRICS_LINE.matcher(read(log));
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      if (!run.isAlive() || System.nanoTime() > deadline) {
        fail("run printed no metrics address (alive: " + run.isAlive() + "):\n" + read(log));
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  private static String get(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
