package org.segstream.telemetry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.segstream.config.InvalidSettingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of telemetry (the JDK's own server, one thread): {@code GET /metrics} (Prometheus
 * text), {@code /health/live} and {@code /health/ready} (200 or 503 with a one-line reason).
 */
public final class TelemetryServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TelemetryServer.class);
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private TelemetryServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** The address the CLI serves on unless {@code --metrics-host} says otherwise: this machine only. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** Serves on the loopback interface ({@value #DEFAULT_HOST}) at {@code port} (0: a free port). */
  public static TelemetryServer start(int port, Supplier<String> metricsText, Health health) {
    return start(DEFAULT_HOST, port, metricsText, health);
  }

  /**
   * Serves on {@code host} (an address or name of this machine; {@code 0.0.0.0} for every interface)
   * at {@code port} (0: a free port, see {@link #port()}).
   *
   * @throws InvalidSettingException when the host is not an address of this machine or the port is taken
   */
  public static TelemetryServer start(String host, int port, Supplier<String> metricsText, Health health) {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new InvalidSettingException("metrics-host", "metrics host " + host + " is not a known host name or address: give an address of "
          + "this machine, e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)");
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(address, port), 16);
    } catch (BindException e) {
      throw new InvalidSettingException("metrics-port", "metrics port " + port + " at host " + host + " is taken or not an address of "
          + "this machine (" + e.getMessage() + "): give a free port and an address of this machine");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics at " + host + ":" + port, e);
    }
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "segstream-telemetry-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/metrics", exchange -> respond(exchange, 200, PROMETHEUS_TEXT, metricsText.get()));
    server.createContext("/health/live", exchange -> respond(exchange, health.live()));
    server.createContext("/health/ready", exchange -> respond(exchange, health.ready()));
    server.createContext("/", exchange -> respond(exchange, 404, "text/plain; charset=utf-8",
        "not found: try /metrics, /health/live or /health/ready\n"));
    server.start();
    TelemetryServer telemetry = new TelemetryServer(server, executor);
    log.debug("metrics at {}/metrics, health at /health/live and /health/ready", telemetry.baseUri());
    return telemetry;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The address the server is bound to (a wildcard address when it serves every interface). */
  public InetAddress address() {
    return server.getAddress().getAddress();
  }

  /** {@code http://HOST:PORT} as bound, an IPv6 host in brackets. */
  public String baseUri() {
    String host = address().getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  private static void respond(HttpExchange exchange, Health.Check check) throws IOException {
    respond(exchange, check.ok() ? 200 : 503, "text/plain; charset=utf-8", (check.ok() ? "UP " : "DOWN ") + check.detail() + "\n");
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      if (exchange.getRequestMethod().equals("HEAD")) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (RuntimeException e) {
      log.warn("telemetry request {} failed: {}", exchange.getRequestURI(), e.toString());
      throw e;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
