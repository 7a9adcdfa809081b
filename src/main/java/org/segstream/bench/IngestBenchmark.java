package org.segstream.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
import org.segstream.kafka.Cluster;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topics;
import org.segstream.model.Machine;

/**
 * What one ingest process can take. A file at the maximum rate: frames/s, and frames per CPU-second of the
 * publishing thread and of the whole process. A live source: N copies at once, for each N asked for: the rate
 * in, the drops and the CPU used, and whether it kept up without dropping. Prints its tables as it measures.
 */
public final class IngestBenchmark {
  private final Request request;
  private final KafkaSettings kafka;
  private final PrintWriter out;

  /**
   * @param bootstrapServers the cluster, or null (with {@code kafkaConfig} null too) for an embedded broker
   * @param input the file to ingest {@code runs} times, or null
   * @param live a live source to open N times at once for each N of {@code streams}, or null
   * @param fps the live source's frame rate: a step keeps up when every copy takes in 95 % of it
   */
  public record Request(String bootstrapServers, Path kafkaConfig, Path input, int runs, String live, List<Integer> streams,
      int seconds, double fps) {
    public Request {
      streams = List.copyOf(streams);
    }
  }

  private IngestBenchmark(Request request, KafkaSettings kafka, PrintWriter out) {
    this.request = request;
    this.kafka = kafka;
    this.out = out;
  }

  public static void run(Request request, PrintWriter out) throws InterruptedException {
    boolean embedded = Cluster.isEmbedded(request.bootstrapServers(), request.kafkaConfig());
    out.printf("machine: %s; %d cores visible%s%n", Machine.describe(), Runtime.getRuntime().availableProcessors(),
        embedded ? "; Kafka: an embedded broker in this process (its CPU counts in the process figures)" : "");
    try (Cluster cluster = Cluster.givenOrEmbedded(request.bootstrapServers(), request.kafkaConfig())) {
      try (Admin admin = Admin.create(cluster.settings().adminProperties())) {
        Topics.ensureCreated(admin);
      }
      IngestBenchmark bench = new IngestBenchmark(request, cluster.settings(), out);
      if (request.input() != null && request.runs() > 0) {
        bench.benchFile();
      }
      if (request.live() != null) {
        bench.benchLive();
      }
    }
  }

  private void benchFile() {
    out.printf("%n## %s at --rate max%n%n", request.input());
    out.println("| run | frames | frames/s | per frame: decode / encode / publish ms | frames per CPU-s of the ingest thread | frames per CPU-s of the process |");
    out.println("|---|---|---|---|---|---|");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double best = 0;
    for (int run = 1; run <= request.runs(); run++) {
      long cpu0 = processCpuNanos();
      long thread0 = threads.getCurrentThreadCpuTime();
      IngestSummary s = new Ingestor(kafka).ingest(new FileSource(request.input()),
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

  private void benchLive() throws InterruptedException {
    LiveSource probe = LiveSource.of(request.live(), LiveSettings.defaults());
    out.printf("%n## %d s of N concurrent copies of %s (default queue %d, drop oldest)%n%n", request.seconds(), probe.uri(),
        LiveSettings.DEFAULT_QUEUE_CAPACITY);
    out.println("| sources | frames/s in per source (min / mean) | published/s (all) | dropped (queue full) | CPU cores used (process) | kept up |");
    out.println("|---|---|---|---|---|---|");
    for (int n : request.streams()) {
      out.println(liveStep(n, probe.uri()));
      out.flush();
    }
  }

  /** N copies of the live source at once: settle, measure for the requested seconds, one table row. */
  private String liveStep(int n, String uri) throws InterruptedException {
    List<IngestRunner.Stream> list = new ArrayList<>();
    List<LiveSource> sources = new ArrayList<>();
    long tag = System.nanoTime();
    for (int i = 0; i < n; i++) {
      LiveSource source = LiveSource.of(request.live(), LiveSettings.defaults());
      sources.add(source);
      list.add(new IngestRunner.Stream(source, IngestSettings.of("bench-live-" + tag + "-" + i)));
    }
    try (IngestRunner runner = new IngestRunner(kafka, list, Duration.ZERO, frame -> {})) {
      awaitStreaming(sources, n, uri);
      List<SourceStats.Snapshot> before = sources.stream().map(s -> s.stats().snapshot()).toList();
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      TimeUnit.SECONDS.sleep(request.seconds());
      double wall = (System.nanoTime() - t0) / 1e9;
      double cores = (processCpuNanos() - cpu0) / 1e9 / wall;
      List<SourceStats.Snapshot> after = sources.stream().map(s -> s.stats().snapshot()).toList();
      runner.stop();
      String row = liveRow(n, before, after, wall, cores);
      runner.awaitAll();
      return row;
    }
  }

  /** Settles: every copy streaming for 2 s, so connection bursts are not measured. */
  private void awaitStreaming(List<LiveSource> sources, int n, String uri) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (sources.stream().anyMatch(s -> s.stats().state() != SourceState.STREAMING
        || s.stats().snapshot().framesIn() < 2 * request.fps())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not all " + n + " copies of " + uri + " streamed within 60 s");
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private String liveRow(int n, List<SourceStats.Snapshot> before, List<SourceStats.Snapshot> after, double wall, double cores) {
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
    boolean keptUp = dropped == 0 && minIn >= 0.95 * request.fps();
    return String.format(Locale.ROOT, "| %d | %.1f / %.1f | %.1f | %d | %.2f | %s%s |", n, minIn, sumIn / n, published / wall,
        dropped, cores, keptUp ? "yes" : "no", reconnects > 0 ? " (" + reconnects + " reconnects: the clip restarted)" : "");
  }

  static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : 0;
  }
}
