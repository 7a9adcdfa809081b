package org.segstream.cli;

import java.io.PrintWriter;
import org.segstream.config.UsageException;
import org.segstream.telemetry.Health;
import org.segstream.telemetry.PrometheusMetrics;
import org.segstream.telemetry.TelemetryServer;
import picocli.CommandLine.Option;

/** {@code --metrics-port} of the long-running commands: Prometheus text and health checks over HTTP. */
final class MetricsOptions {
  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description = "Serve Prometheus metrics at http://0.0.0.0:PORT/metrics and health at /health/live and "
          + "/health/ready (0 picks a free port; default: off).")
  Integer metricsPort;

  boolean enabled() {
    return metricsPort != null;
  }

  /** Starts the server when {@code --metrics-port} is given; null otherwise. */
  TelemetryServer start(PrometheusMetrics metrics, Health health, PrintWriter out) {
    if (metricsPort == null) {
      return null;
    }
    if (metricsPort < 0 || metricsPort > 65535) {
      throw new UsageException("--metrics-port " + metricsPort + ": give 0..65535");
    }
    TelemetryServer server = TelemetryServer.start(metricsPort, metrics::scrape, health);
    out.printf("metrics at http://0.0.0.0:%d/metrics, health at /health/live and /health/ready%n", server.port());
    out.flush();
    return server;
  }
}
