package org.segstream.cli;

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
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.segstream.avro.SegmentationResult;
import org.segstream.config.UsageException;
import org.segstream.eval.ResultCollector;
import org.segstream.ingest.FileSource;
import org.segstream.ingest.IngestOptions;
import org.segstream.ingest.Ingestor;
import org.segstream.ingest.Pacing;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topics;
import org.segstream.model.Machine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segstream bench scale}: throughput of 1, 2... {@code process} JVMs sharing one application
 * id, on a frames topic filled beforehand. Each run counts only the results produced after every
 * instance of the run was ready (RUNNING), so start-up and the first rebalance are not measured.
 */
@Command(
    name = "scale",
    mixinStandardHelpOptions = true,
    description = "Frames/s of N process instances (child JVMs, one application id) on a frames topic filled beforehand.")
final class BenchScaleCommand implements Callable<Integer> {
  private static final Pattern FRAMES_IN = Pattern.compile("(?m)^segstream_frames_in_total\\{[^}]*} ([0-9.eE+]+)$");

  @Mixin KafkaOptions kafka;
  @Mixin ModelSelection modelSelection;
  @Mixin ProcessorOptions processorOptions;

  @Option(names = "--input", defaultValue = "../shared/data/video/cat.mp4", paramLabel = "FILE", description = "The video (default ${DEFAULT-VALUE}).")
  Path input;

  @Option(names = "--copies", defaultValue = "8", description = "Streams of the input put on the frames topic (default ${DEFAULT-VALUE}).")
  int copies;

  @Option(names = "--instances", defaultValue = "1,2", split = ",", paramLabel = "N,N,...", description = "Instance counts to measure (default ${DEFAULT-VALUE}).")
  List<Integer> instances;

  @Option(names = "--instance-heap", defaultValue = "1g", description = "-Xmx of each instance (default ${DEFAULT-VALUE}).")
  String instanceHeap;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(input)) {
      throw new UsageException("--input " + input + " is not a readable video file");
    }
    if (instances.stream().anyMatch(n -> n < 1)) {
      throw new UsageException("--instances must all be at least 1");
    }
    processorOptions.toSettings(); // validates before anything starts
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean embedded = kafka.bootstrapServers == null && kafka.kafkaConfig == null;
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path logs = Files.createTempDirectory("segstream-bench-scale-");
    try (EmbeddedBroker broker = embedded ? EmbeddedBroker.start() : null) {
      KafkaSettings kafkaSettings = embedded ? broker.settings() : kafka.settings();
      try (Admin admin = Admin.create(kafkaSettings.adminProperties())) {
        Topics.ensureCreated(admin);
      }
      Set<String> streams = new LinkedHashSet<>();
      long frames = 0;
      for (int c = 0; c < copies; c++) {
        String stream = "scale-" + run + "-" + c;
        streams.add(stream);
        frames += new Ingestor(kafkaSettings)
            .ingest(new FileSource(input), IngestOptions.of(stream).withPacing(new Pacing.Max())).framesPublished();
      }
      err.printf("bench: %d frames in %d streams on %s; instance logs in %s%n", frames, copies, Topics.FRAMES.name(), logs);
      Path kafkaConfig = embedded ? shortTimeouts(logs) : kafka.kafkaConfig;
      List<String> rows = new ArrayList<>();
      for (int n : instances) {
        rows.add(measure(n, run, streams, kafkaSettings, kafkaConfig, logs, err));
      }
      out.printf(Locale.ROOT, "machine: %s%n", Machine.describe());
      out.printf(Locale.ROOT, "input %s x %d streams (%d frames), %d partitions, batch %d / %d ms, refine %s, model %s%n",
          input.getFileName(), copies, frames, Topics.FRAMES.partitions(), processorOptions.batchSize,
          processorOptions.batchMaxDelayMs, processorOptions.refine,
          modelSelection.model == null ? "(bundled)" : modelSelection.model.getFileName());
      out.println("| instances | frames/s (all instances ready) | frames measured | frames before all were ready | frames read per instance (re-reads after a rebalance count again) |");
      out.println("|---|---|---|---|---|");
      rows.forEach(out::println);
      out.flush();
    }
    return ExitCodes.OK;
  }

  private String measure(int n, String run, Set<String> streams, KafkaSettings kafkaSettings, Path kafkaConfig, Path logs, PrintWriter err)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("--bootstrap-servers", kafkaSettings.bootstrapServers(),
        "--application-id", "segstream-bench-scale-" + run + "-" + n));
    if (kafkaConfig != null) {
      args.addAll(List.of("--kafka-config", kafkaConfig.toString()));
    }
    args.addAll(ProcessorChild.flagsOf(spec, "modelSelection"));
    args.addAll(ProcessorChild.flagsOf(spec, "processorOptions"));
    List<ProcessorChild> children = new ArrayList<>();
    try (ResultCollector collector = ResultCollector.open(kafkaSettings, streams)) {
      for (int i = 0; i < n; i++) {
        // instances on one host: each its own stable id and state directory
        List<String> instanceArgs = new ArrayList<>(args);
        instanceArgs.addAll(List.of("--instance-id", "scale-" + run + "-" + n + "-" + i,
            "--state-dir", logs.resolve("state-n" + n + "-instance" + i).toString()));
        children.add(ProcessorChild.start(instanceArgs, instanceHeap, logs.resolve("n" + n + "-instance" + i + ".log")));
      }
      for (ProcessorChild child : children) {
        child.awaitReady(Duration.ofMinutes(3));
      }
      long allReady = System.currentTimeMillis();
      err.printf("bench: %d instance(s) ready%n", n);
      List<SegmentationResult> results = collector.collectUntilEndOfStream(Duration.ofMinutes(30), r -> {});
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
      return String.format(Locale.ROOT, "| %d | %.1f | %d | %d | %s |", n, fps, measured.size(), before, String.join(" / ", split));
    } finally {
      for (ProcessorChild child : children) {
        child.close();
      }
    }
  }

  /** On the embedded broker, a rebalance should not wait out 45 s defaults. */
  private static Path shortTimeouts(Path dir) throws java.io.IOException {
    Path file = dir.resolve("kafka.properties");
    Files.writeString(file, "session.timeout.ms=6000\nheartbeat.interval.ms=1000\ntransaction.timeout.ms=5000\n");
    return file;
  }
}
