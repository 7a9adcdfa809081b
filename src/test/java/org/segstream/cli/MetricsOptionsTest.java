package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.segstream.telemetry.Health;
import org.segstream.telemetry.PrometheusMetrics;
import org.segstream.telemetry.TelemetryServer;
import picocli.CommandLine;

/** The CLI's metrics server listens on loopback unless {@code --metrics-host} says otherwise. */
class MetricsOptionsTest {

  @Test
  void theDefaultHostIsLoopback() {
    MetricsOptions options = CommandLine.populateCommand(new MetricsOptions(), "--metrics-port", "0");
    StringWriter out = new StringWriter();
    try (PrometheusMetrics metrics = options.create("process");
        TelemetryServer server = options.start(metrics, Health.always("x"), new PrintWriter(out, true))) {
      assertTrue(server.address().isLoopbackAddress(), "bound to " + server.address());
      assertEquals("metrics at http://127.0.0.1:" + server.port() + "/metrics, health at /health/live and /health/ready",
          out.toString().strip());
    }
  }

  @Test
  void metricsHostZeroServesEveryInterface() {
    MetricsOptions options = CommandLine.populateCommand(new MetricsOptions(), "--metrics-port", "0", "--metrics-host", "0.0.0.0");
    try (PrometheusMetrics metrics = options.create("process");
        TelemetryServer server = options.start(metrics, Health.always("x"), new PrintWriter(new StringWriter(), true))) {
      assertTrue(server.address().isAnyLocalAddress(), "bound to " + server.address());
    }
  }

  @Test
  void withoutAPortThereIsNoRegistryAndANegativeCapIsAUsageError() {
    assertNull(CommandLine.populateCommand(new MetricsOptions()).create("process"));
    MetricsOptions negative = CommandLine.populateCommand(new MetricsOptions(), "--metrics-port", "0", "--max-streams", "-1");
    UsageException e = assertThrows(UsageException.class, () -> negative.create("process"));
    assertTrue(e.getMessage().contains("--max-streams -1"), e.getMessage());
  }
}
