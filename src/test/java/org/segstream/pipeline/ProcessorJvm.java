package org.segstream.pipeline;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.segstream.testing.PrometheusText;

/**
 * {@code segstream process --metrics-port 0} as a child JVM (the packaged jar), with its log in a
 * file: the test reads the metrics port from the log and talks to /metrics and /health over HTTP.
 */
final class ProcessorJvm implements AutoCloseable {
  private static final Pattern METRICS_LINE = Pattern.compile("metrics at http://(?:\\[[^]]*]|[^:/]+):(\\d+)/metrics");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final Path log;
  private int port = -1;

  private ProcessorJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code process} with these arguments plus {@code --metrics-port 0}, with a 1 GiB heap. */
  static ProcessorJvm start(List<String> processArgs, Path log) throws IOException {
    return start(processArgs, log, "1g");
  }

  /** Starts {@code process} with these arguments plus {@code --metrics-port 0}, with {@code -Xmx<maxHeap>}. */
  static ProcessorJvm start(List<String> processArgs, Path log, String maxHeap) throws IOException {
    List<String> command =
        new ArrayList<>(List.of(CrashRecoveryIT.javaBin(), "-Xmx" + maxHeap, "-jar", CrashRecoveryIT.jar(), "process"));
    command.addAll(processArgs);
    command.addAll(List.of("--metrics-port", "0"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ProcessorJvm(p, log);
  }

  /** The metrics port, once the child has printed it. */
  int port(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (port < 0) {
      if (Files.exists(log)) {
        Matcher m = METRICS_LINE.matcher(Files.readString(log));
        if (m.find()) {
          port = Integer.parseInt(m.group(1));
          break;
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("process exited " + process.exitValue() + " before serving metrics; log:\n" + logText());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no metrics port in the log within " + timeout + "; log:\n" + logText());
      }
      Thread.sleep(20);
    }
    return port;
  }

  /** The status of GET path, or -1 when nothing answers (not started yet, or gone). */
  int status(String path) throws InterruptedException {
    try {
      return get(path).statusCode();
    } catch (ConnectException e) {
      return -1;
    } catch (IOException e) {
      return -1;
    }
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  PrometheusText scrape() throws IOException, InterruptedException {
    HttpResponse<String> r = get("/metrics");
    if (r.statusCode() != 200) {
      throw new IllegalStateException("/metrics answered " + r.statusCode());
    }
    return PrometheusText.parse(r.body());
  }

  /** Waits until GET path answers {@code status}. */
  void awaitStatus(String path, int status, Duration timeout) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int last;
    while ((last = status(path)) != status) {
      if (!process.isAlive()) {
        throw new IllegalStateException("process exited " + process.exitValue() + " while waiting for " + path + " = " + status + "; log:\n" + logText());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(path + " answered " + last + ", not " + status + ", for " + timeout + "; log:\n" + logText());
      }
      Thread.sleep(20);
    }
  }

  Process process() {
    return process;
  }

  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  String logText() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "(no log)";
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
