package org.segstream.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.segstream.avro.SegmentationResult;
import org.segstream.config.InvalidSettingException;
import org.segstream.ingest.FileSource;
import org.segstream.ingest.IngestSettings;
import org.segstream.ingest.Ingestor;
import org.segstream.ingest.Pacing;
import org.segstream.kafka.Cluster;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topics;
import org.segstream.process.ProcessorSettings;
import org.segstream.results.StreamCollector;

/**
 * Throughput of 1, 2... {@code process} JVMs sharing one application id, on a frames topic filled beforehand.
 * Each run counts only the results produced after every instance of the run was ready (RUNNING), so start-up
 * and the first rebalance are not measured.
 */
public final class ScaleBenchmark {
  private static final Pattern FRAMES_IN = Pattern.compile("(?m)^segstream_frames_in_total\\{[^}]*} ([0-9.eE+]+)$");

  private final Request request;
  private final KafkaSettings kafka;
  private final Path kafkaConfig;
  private final Path logs;
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  /**
   * @param bootstrapServers the cluster, or null (with {@code kafkaConfig} null too) for an embedded broker
   * @param copies streams of the input put on the frames topic
   * @param instances the instance counts to measure
   * @param settings the instances' processing settings (for the table's header; the launcher carries their flags)
   * @param model the instances' model directory, or null for the bundled one (for the header)
   */
  public record Request(String bootstrapServers, Path kafkaConfig, Path input, int copies, List<Integer> instances,
      ProcessorChild.Launcher launcher, ProcessorSettings settings, Path model) {
    public Request {
      instances = List.copyOf(instances);
      if (!Files.isRegularFile(input)) {
        throw new InvalidSettingException("input", input + " is not a readable video file");
      }
      if (instances.stream().anyMatch(n -> n < 1)) {
        throw new InvalidSettingException("instances", "instance counts must all be at least 1, got " + instances);
      }
    }
  }

  /** One instance count's figures. */
  public record Row(int instances, double framesPerSecond, int measured, long beforeAllReady, List<String> readPerInstance) {}

  /** The figures and the table. */
  public record Result(String header, List<Row> rows) {
    public Result {
      rows = List.copyOf(rows);
    }

    public void print(PrintWriter out) {
      out.printf(Locale.ROOT, "machine: %s%n", org.segstream.model.Machine.describe());
      out.println(header);
      out.println("| instances | frames/s (all instances ready) | frames measured | frames before all were ready | frames read per instance (re-reads after a rebalance count again) |");
      out.println("|---|---|---|---|---|");
      for (Row r : rows) {
        out.printf(Locale.ROOT, "| %d | %.1f | %d | %d | %s |%n", r.instances(), r.framesPerSecond(), r.measured(),
            r.beforeAllReady(), String.join(" / ", r.readPerInstance()));
      }
      out.flush();
    }
  }

  private ScaleBenchmark(Request request, KafkaSettings kafka, Path kafkaConfig, Path logs) {
    this.request = request;
    this.kafka = kafka;
    this.kafkaConfig = kafkaConfig;
    this.logs = logs;
  }

  /** Fills the topic, then measures each instance count; progress lines go to {@code err}. */
  public static Result run(Request request, PrintWriter err) throws Exception {
    Path logs = Files.createTempDirectory("segstream-bench-scale-");
    try (Cluster cluster = Cluster.givenOrEmbedded(request.bootstrapServers(), request.kafkaConfig())) {
      try (Admin admin = Admin.create(cluster.settings().adminProperties())) {
        Topics.ensureCreated(admin);
      }
      Path kafkaConfig = cluster.isEmbedded() ? shortTimeouts(logs) : request.kafkaConfig();
      return new ScaleBenchmark(request, cluster.settings(), kafkaConfig, logs).measureAll(err);
    }
  }

  private Result measureAll(PrintWriter err) throws Exception {
    Set<String> streams = new LinkedHashSet<>();
    long frames = 0;
    for (int c = 0; c < request.copies(); c++) {
      String stream = "scale-" + run + "-" + c;
      streams.add(stream);
      frames += new Ingestor(kafka)
          .ingest(new FileSource(request.input()), IngestSettings.of(stream).withPacing(new Pacing.Max())).framesPublished();
    }
    err.printf("bench: %d frames in %d streams on %s; instance logs in %s%n", frames, request.copies(), Topics.FRAMES.name(), logs);
    List<Row> rows = new ArrayList<>();
    for (int n : request.instances()) {
      rows.add(measure(n, streams, err));
    }
    ProcessorSettings s = request.settings();
    String header = String.format(Locale.ROOT, "input %s x %d streams (%d frames), %d partitions, batch %d / %d ms, refine %s, model %s",
        request.input().getFileName(), request.copies(), frames, Topics.FRAMES.partitions(), s.batchSize(),
        s.batchMaxDelay().toMillis(), Refinements.label(s), request.model() == null ? "(bundled)" : request.model().getFileName());
    return new Result(header, rows);
  }

  private Row measure(int n, Set<String> streams, PrintWriter err) throws Exception {
    List<String> args = new ArrayList<>(List.of("--bootstrap-servers", kafka.bootstrapServers(),
        "--application-id", "segstream-bench-scale-" + run + "-" + n));
    if (kafkaConfig != null) {
      args.addAll(List.of("--kafka-config", kafkaConfig.toString()));
    }
    List<ProcessorChild> children = new ArrayList<>();
    try (StreamCollector collector = StreamCollector.open(kafka, streams)) {
      for (int i = 0; i < n; i++) {
        // instances on one host: each its own stable id and state directory
        List<String> instanceArgs = new ArrayList<>(args);
        instanceArgs.addAll(List.of("--instance-id", "scale-" + run + "-" + n + "-" + i,
            "--state-dir", logs.resolve("state-n" + n + "-instance" + i).toString()));
        children.add(request.launcher().start(instanceArgs, logs.resolve("n" + n + "-instance" + i + ".log")));
      }
      for (ProcessorChild child : children) {
        child.awaitReady(Duration.ofMinutes(3));
      }
      long allReady = System.currentTimeMillis();
      err.printf("bench: %d instance(s) ready%n", n);
      List<SegmentationResult> results = collector.collectUntilEndOfStream(Duration.ofMinutes(30), r -> {});
      return row(n, results, allReady, children);
    } finally {
      for (ProcessorChild child : children) {
        child.close();
      }
    }
  }

  private static Row row(int n, List<SegmentationResult> results, long allReady, List<ProcessorChild> children)
      throws IOException, InterruptedException {
    List<SegmentationResult> measured =
        results.stream().filter(r -> !r.getEndOfStream() && r.getResultWallTimeMs() >= allReady).toList();
    long before = results.stream().filter(r -> !r.getEndOfStream() && r.getResultWallTimeMs() < allReady).count();
    long first = measured.stream().mapToLong(SegmentationResult::getResultWallTimeMs).min().orElse(allReady);
    long last = measured.stream().mapToLong(SegmentationResult::getResultWallTimeMs).max().orElse(allReady);
    double fps = measured.size() / Math.max(0.001, (last - Math.min(first, allReady)) / 1000.0);
    List<String> split = new ArrayList<>();
    for (ProcessorChild child : children) {
      Matcher m = FRAMES_IN.matcher(child.metrics());
      double sum = 0;
      while (m.find()) {
        sum += Double.parseDouble(m.group(1));
      }
      split.add(String.format(Locale.ROOT, "%.0f", sum));
    }
    return new Row(n, fps, measured.size(), before, split);
  }

  /** On the embedded broker, a rebalance should not wait out 45 s defaults. */
  private static Path shortTimeouts(Path dir) throws IOException {
    Path file = dir.resolve("kafka.properties");
    Files.writeString(file, "session.timeout.ms=6000\nheartbeat.interval.ms=1000\ntransaction.timeout.ms=5000\n");
    return file;
  }
}
