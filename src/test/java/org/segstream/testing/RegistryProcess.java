package org.segstream.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Apicurio Registry (2.x, in-memory storage) as a child JVM on a free loopback port, for the tests of the
 * confluent value format: its Confluent-compatible API is at {@link #ccompatUrl()}, its own at {@link #apiUrl()}.
 * The app is unpacked by the build ({@code maven-dependency-plugin}, pre-integration-test) into
 * {@code segstream.apicurio.dir}; its log goes to a file. {@link #close()} stops it and waits for it to end.
 */
public final class RegistryProcess implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final Path log;
  private final int port;

  private RegistryProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts the registry and waits until {@code /health/ready} answers 200 (at most 120 s).
   *
   * @param log where its output goes
   */
  public static RegistryProcess start(Path log) throws IOException, InterruptedException {
    Path runner = runnerJar();
    int port = freePort();
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
        "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
        // no management, metrics or telemetry ports beyond the one HTTP port
        "-Dquarkus.management.enabled=false",
        "-jar", runner.toString());
    Process p = new ProcessBuilder(command).directory(runner.getParent().toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    RegistryProcess registry = new RegistryProcess(p, log, port);
    try {
      registry.awaitReady();
    } catch (IOException | InterruptedException | RuntimeException e) {
      registry.close();
      throw e;
    }
    return registry;
  }

  /** The Confluent-compatible API's base: what {@code --schema-registry-url} takes. */
  public String ccompatUrl() {
    return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
  }

  /** Apicurio's own v2 API (its serdes' {@code apicurio.registry.url}). */
  public String apiUrl() {
    return "http://127.0.0.1:" + port + "/apis/registry/v2";
  }

  public Process process() {
    return process;
  }

  public String logText() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "(no log)";
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
        .timeout(Duration.ofSeconds(2)).build();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Apicurio Registry exited (" + process.exitValue() + ") before it was ready; log:\n"
            + logText());
      }
      try {
        if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Apicurio Registry not ready within " + READY_TIMEOUT.toSeconds() + " s; log:\n"
            + logText());
      }
      Thread.sleep(100);
    }
  }

  private static Path runnerJar() throws IOException {
    String dir = System.getProperty("segstream.apicurio.dir");
    if (dir == null) {
      throw new IllegalStateException("segstream.apicurio.dir is not set: run the registry tests with 'mvn verify' "
          + "(the build unpacks io.apicurio:apicurio-registry-app:tar.gz:all before the integration tests)");
    }
    try (Stream<Path> files = Files.list(Path.of(dir))) {
      return files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no Apicurio *-runner.jar in " + dir + ": is the unpack step "
              + "of the build (unpack-apicurio) skipped?"));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
