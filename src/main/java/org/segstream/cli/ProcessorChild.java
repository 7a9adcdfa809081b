package org.segstream.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A {@code segstream process --metrics-port 0} child JVM on this JVM's class path, for benchmarks
 * that need separate processor instances; its output goes to a log file, from which the metrics
 * port is read.
 */
final class ProcessorChild implements AutoCloseable {
  private static final Pattern METRICS_LINE = Pattern.compile("metrics at http://(?:\\[[^]]*]|[^:/]+):(\\d+)/metrics");

  private final Process process;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private int port = -1;

  private ProcessorChild(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static ProcessorChild start(List<String> processArgs, String maxHeap, Path log) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap,
        "-cp", System.getProperty("java.class.path"), SegstreamCli.class.getName(), "process"));
    command.addAll(processArgs);
    command.addAll(List.of("--metrics-port", "0"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ProcessorChild(p, log);
  }

  /** Waits until /health/ready answers 200. */
  void awaitReady(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (status("/health/ready") != 200) {
      if (!process.isAlive()) {
        throw new IllegalStateException("a processor exited (" + process.exitValue() + ") before it was ready; see " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("a processor was not ready within " + timeout.toSeconds() + " s; see " + log);
      }
      Thread.sleep(20);
    }
  }

  int status(String path) throws IOException, InterruptedException {
    if (port < 0) {
      Matcher m = METRICS_LINE.matcher(Files.exists(log) ? Files.readString(log) : "");
      if (!m.find()) {
        return -1;
      }
      port = Integer.parseInt(m.group(1));
    }
    try {
      return get(path).statusCode();
    } catch (IOException e) {
      return -1; // not listening (yet, or any more)
    }
  }

  String metrics() throws IOException, InterruptedException {
    return get("/metrics").body();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A hard kill (SIGKILL): no shutdown hook runs, nothing is committed or closed. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /** The options of one of a command's mixins that have a value, as flags for a {@code process} child. */
  static List<String> flagsOf(CommandLine.Model.CommandSpec spec, String mixin) {
    List<String> args = new ArrayList<>();
    for (CommandLine.Model.OptionSpec option : spec.mixins().get(mixin).options()) {
      Object value = option.getValue();
      if (value != null) {
        args.add(option.longestName());
        args.add(String.valueOf(value));
      }
    }
    return args;
  }

  /** SIGTERM, then a hard kill after 40 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(40, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
