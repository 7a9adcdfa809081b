package org.segstream.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.segstream.ingest.DropReason;
import org.segstream.ingest.FileSource;
import org.segstream.ingest.IngestSettings;
import org.segstream.ingest.IngestRunner;
import org.segstream.ingest.IngestSummary;
import org.segstream.ingest.Ingestor;
import org.segstream.ingest.LiveSettings;
import org.segstream.ingest.LiveSource;
import org.segstream.ingest.Pacing;
import org.segstream.ingest.SourceState;
import org.segstream.ingest.SourceStats;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topics;
import org.segstream.model.Machine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segstream bench ingest}: what one ingest process can take. A file at {@code --rate max}:
 * frames/s, and frames per CPU-second of the publishing thread and of the whole process. With
 * {@code --live URL}: N copies of a live source at once, for each N of {@code --streams}: the rate
 * in, the drops and the CPU used, and whether it kept up without dropping.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Ingest capacity: frames/s decoded, encoded and published for a file at --rate max (per CPU-second), and with",
      "--live URL how many concurrent live sources one ingest process sustains without drops."
    })
final class BenchIngestCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Option(names = "--input", defaultValue = "../shared/data/video/dog.mp4", paramLabel = "FILE", description = "The file (default ${DEFAULT-VALUE}).")
  Path input;

  @Option(names = "--runs", defaultValue = "3", description = "Runs of the file (default ${DEFAULT-VALUE}); the best is reported too.")
  int runs;

  @Option(names = "--live", paramLabel = "URL", description = "A live source (e.g. an RTSP feed at 30 fps) to open N times at once.")
  String live;

  @Option(names = "--streams", split = ",", defaultValue = "1,2,4,6,8", paramLabel = "N,...", description = "Concurrent copies of --live to try (default ${DEFAULT-VALUE}).")
  List<Integer> streams;

  @Option(names = "--seconds", defaultValue = "20", description = "Measured seconds per step of --streams (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--fps", defaultValue = "30", description = "The live source's frame rate: a step keeps up when every copy takes in 95%% of it (default ${DEFAULT-VALUE}).")
  double fps;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    boolean embedded = kafka.bootstrapServers == null && kafka.kafkaConfig == null;
    out.printf("machine: %s; %d cores visible%s%n", Machine.describe(), Runtime.getRuntime().availableProcessors(),
        embedded ? "; Kafka: an embedded broker in this process (its CPU counts in the process figures)" : "");
    try (EmbeddedBroker broker = embedded ? EmbeddedBroker.start() : null) {
      KafkaSettings settings = embedded ? broker.settings() : kafka.settings();
      try (Admin admin = Admin.create(settings.adminProperties())) {
        Topics.ensureCreated(admin);
      }
      if (input != null && runs > 0) {
        benchFile(settings, out);
      }
      if (live != null) {
        benchLive(settings, out);
      }
    }
    return ExitCodes.OK;
  }

  private void benchFile(KafkaSettings settings, PrintWriter out) {
    out.printf("%n## %s at --rate max%n%n", input);
    out.println("| run | frames | frames/s | per frame: decode / encode / publish ms | frames per CPU-s of the ingest thread | frames per CPU-s of the process |");
    out.println("|---|---|---|---|---|---|");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double best = 0;
    for (int run = 1; run <= runs; run++) {
      long cpu0 = processCpuNanos();
      long thread0 = threads.getCurrentThreadCpuTime();
      IngestSummary s = new Ingestor(settings).ingest(new FileSource(input),
          IngestSettings.of("bench-ingest-" + System.nanoTime()).withPacing(Pacing.max()));
      double threadCpu = (threads.getCurrentThreadCpuTime() - thread0) / 1e9;
      double processCpu = (processCpuNanos() - cpu0) / 1e9;
      best = Math.max(best, s.framesPerSecond());
      out.printf(Locale.ROOT, "| %d | %d | %.1f | %.2f / %.2f / %.2f | %.1f | %.1f |%n", run, s.framesPublished(),
          s.framesPerSecond(), s.decodeNanos() / 1e6 / s.framesPublished(), s.encodeNanos() / 1e6 / s.framesPublished(),
          s.publishNanos() / 1e6 / s.framesPublished(), s.framesPublished() / threadCpu, s.framesPublished() / processCpu);
      out.flush();
    }
    out.printf(Locale.ROOT, "%nbest: %.1f frames/s (one stream is one publishing thread)%n", best);
  }

  private void benchLive(KafkaSettings settings, PrintWriter out) throws InterruptedException {
    LiveSource probe = LiveSource.of(live, LiveSettings.defaults());
    out.printf("%n## %d s of N concurrent copies of %s (default queue %d, drop oldest)%n%n", seconds, probe.uri(),
        LiveSettings.DEFAULT_QUEUE_CAPACITY);
    out.println("| sources | frames/s in per source (min / mean) | published/s (all) | dropped (queue full) | CPU cores used (process) | kept up |");
    out.println("|---|---|---|---|---|---|");
    for (int n : streams) {
      List<IngestRunner.Stream> list = new ArrayList<>();
      List<LiveSource> sources = new ArrayList<>();
      long tag = System.nanoTime();
      for (int i = 0; i < n; i++) {
        LiveSource source = LiveSource.of(live, LiveSettings.defaults());
        sources.add(source);
        list.add(new IngestRunner.Stream(source, IngestSettings.of("bench-live-" + tag + "-" + i)));
      }
      try (IngestRunner runner = new IngestRunner(settings, list, Duration.ZERO, frame -> {})) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // settle: every copy streaming for 2 s, so connection bursts are not measured
        while (sources.stream().anyMatch(s -> s.stats().state() != SourceState.STREAMING || s.stats().snapshot().framesIn() < 2 * fps)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("not all " + n + " copies of " + probe.uri() + " streamed within 60 s");
          }
          TimeUnit.MILLISECONDS.sleep(100);
        }
        List<SourceStats.Snapshot> before = sources.stream().map(s -> s.stats().snapshot()).toList();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        TimeUnit.SECONDS.sleep(seconds);
        double wall = (System.nanoTime() - t0) / 1e9;
        double cores = (processCpuNanos() - cpu0) / 1e9 / wall;
        List<SourceStats.Snapshot> after = sources.stream().map(s -> s.stats().snapshot()).toList();
        runner.stop();
        double minIn = Double.MAX_VALUE;
        double sumIn = 0;
        long published = 0;
        long dropped = 0;
        long reconnects = 0;
        for (int i = 0; i < n; i++) {
          double in = (after.get(i).framesIn() - before.get(i).framesIn()) / wall;
          minIn = Math.min(minIn, in);
          sumIn += in;
          published += after.get(i).published() - before.get(i).published();
          dropped += after.get(i).dropped().get(DropReason.QUEUE_FULL) - before.get(i).dropped().get(DropReason.QUEUE_FULL);
          reconnects += after.get(i).reconnects() - before.get(i).reconnects();
        }
        boolean keptUp = dropped == 0 && minIn >= 0.95 * fps;
        out.printf(Locale.ROOT, "| %d | %.1f / %.1f | %.1f | %d | %.2f | %s%s |%n", n, minIn, sumIn / n, published / wall,
            dropped, cores, keptUp ? "yes" : "no", reconnects > 0 ? " (" + reconnects + " reconnects: the clip restarted)" : "");
        out.flush();
        runner.awaitAll();
      }
    }
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : 0;
  }
}
