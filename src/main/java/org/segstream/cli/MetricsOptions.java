package org.segstream.cli;

import java.io.PrintWriter;
import org.segstream.telemetry.Health;
import org.segstream.telemetry.PrometheusMetrics;
import org.segstream.telemetry.StreamLabels;
import org.segstream.telemetry.TelemetryServer;
import picocli.CommandLine.Option;

/**
 * {@code --metrics-port}, {@code --metrics-host} and {@code --max-streams} of the long-running
 * commands: Prometheus text and health checks over HTTP.
 */
final class MetricsOptions {
  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description = "Serve Prometheus metrics at http://HOST:PORT/metrics and health at /health/live and "
          + "/health/ready (0 picks a free port; default: off).")
  Integer metricsPort;

  @Option(
      names = "--metrics-host",
      paramLabel = "HOST",
      defaultValue = TelemetryServer.DEFAULT_HOST,
      description = "Address the metrics server listens on (default ${DEFAULT-VALUE}: this machine only; "
          + "0.0.0.0 for every interface, as the Docker image sets).")
  String metricsHost;

  @Option(
      names = "--max-streams",
      paramLabel = "N",
      defaultValue = "" + StreamLabels.DEFAULT_MAX_STREAMS,
      description = "Metrics keep a stream label for the first N stream ids seen; later ones are counted as "
          + "stream=\"other\" (default ${DEFAULT-VALUE}); the processor tracks objects of at most N streams (the least recently "
          + "seen beyond starts over). Stream ids come from record data: this bounds memory and /metrics.")
  int maxStreams;

  boolean enabled() {
    return metricsPort != null;
  }

  /** The registry of the command ({@code component} label {@code ingest} or {@code process}), or null without {@code --metrics-port}. */
  PrometheusMetrics create(String component) {
    if (maxStreams < 0) {
      throw new UsageException("--max-streams " + maxStreams + ": give 0 or more");
    }
    return enabled() ? new PrometheusMetrics(component, maxStreams) : null;
  }

  /** Starts the server when {@code --metrics-port} is given; null otherwise. */
  TelemetryServer start(PrometheusMetrics metrics, Health health, PrintWriter out) {
    if (metricsPort == null) {
      return null;
    }
    if (metricsPort < 0 || metricsPort > 65535) {
      throw new UsageException("--metrics-port " + metricsPort + ": give 0..65535");
    }
    TelemetryServer server = TelemetryServer.start(metricsHost, metricsPort, metrics::scrape, health);
    out.printf("metrics at %s/metrics, health at /health/live and /health/ready%n", server.baseUri());
    out.flush();
    return server;
  }
}
