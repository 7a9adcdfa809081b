package org.segstream.cli;

import io.micrometer.core.instrument.Counter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.segstream.ingest.FileSource;
import org.segstream.ingest.IngestSettings;
import org.segstream.ingest.Ingestor;
import org.segstream.ingest.Pacing;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topics;
import org.segstream.model.BundledModels;
import org.segstream.model.Machine;
import org.segstream.model.SegmentationModel;
import org.segstream.process.ProcessorSettings;
import org.segstream.process.SegmentationService;
import org.segstream.telemetry.MemoryTrend;
import org.segstream.telemetry.PrometheusMetrics;
import org.segstream.telemetry.ResidentMemory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segstream bench soak}: replays a clip in a loop through ingest and process in this JVM
 * (broker embedded unless --bootstrap-servers) and samples the resident set size. TensorFlow,
 * FFmpeg and OpenCV allocate outside the heap, so a leak there shows in RSS, not in heap figures.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = {
      "Replay a clip in a loop through ingest + process in one JVM for --minutes and sample resident memory;",
      "fails (exit 3) when RSS after the warm-up spreads by more than --max-growth."
    })
final class BenchSoakCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;
  @Mixin ModelSelection modelSelection;
  @Mixin ProcessorOptions processorOptions;

  @Option(names = "--input", defaultValue = "../shared/data/video/cat.mp4", paramLabel = "FILE", description = "The clip to loop (default ${DEFAULT-VALUE}).")
  Path input;

  @Option(names = "--minutes", defaultValue = "10", description = "How long to run (default ${DEFAULT-VALUE}).")
  double minutes;

  @Option(names = "--warmup-minutes", description = "Samples before this are not judged (default: a fifth of --minutes).")
  Double warmupMinutes;

  @Option(names = "--sample-s", defaultValue = "10", description = "Seconds between samples (default ${DEFAULT-VALUE}).")
  double sampleSeconds;

  @Option(names = "--rate", defaultValue = "native", paramLabel = "native|max|N", description = "Ingest pacing (default ${DEFAULT-VALUE}).")
  String rate;

  @Option(names = "--max-growth", defaultValue = "0.10", description = "Largest allowed (max - min) / min of RSS after the warm-up (default ${DEFAULT-VALUE}).")
  double maxGrowth;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  record Sample(double minute, long rssBytes, long heapBytes, double framesOut, long loops) {}

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(input)) {
      throw new UsageException("--input " + input + " is not a readable video file");
    }
    if (minutes <= 0 || sampleSeconds <= 0) {
      throw new UsageException("--minutes and --sample-s must be positive");
    }
    double warmup = warmupMinutes != null ? warmupMinutes : minutes / 5;
    if (warmup >= minutes) {
      throw new UsageException("--warmup-minutes " + warmup + " leaves nothing of --minutes " + minutes + " to judge");
    }
    if (ResidentMemory.bytes().isEmpty()) {
      throw new UsageException("resident memory is read from /proc/self/status, which this system lacks (Linux only)");
    }
    Pacing pacing = Pacing.parse(rate);
    ProcessorSettings settings = processorOptions.toSettings();
    PrintWriter out = spec.commandLine().getOut();
    boolean embedded = kafka.bootstrapServers == null && kafka.kafkaConfig == null;
    String run = UUID.randomUUID().toString().substring(0, 8);
    String stream = "soak-" + run;
    List<Sample> samples = new ArrayList<>();
    try (EmbeddedBroker broker = embedded ? EmbeddedBroker.start() : null;
        SegmentationModel model = modelSelection.open(BundledModels.LIVE);
        PrometheusMetrics metrics = new PrometheusMetrics("soak")) {
      KafkaSettings kafkaSettings = embedded ? broker.settings() : kafka.settings();
      try (Admin admin = Admin.create(kafkaSettings.adminProperties())) {
        Topics.ensureCreated(admin);
      }
      Ingestor ingestor = new Ingestor(kafkaSettings);
      ExecutorService ingestThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "segstream-soak-ingest"));
      long[] loops = {0};
      try (SegmentationService service = SegmentationService.start(
          kafkaSettings.common(), "segstream-soak-" + run, settings, model, Duration.ofSeconds(120), metrics, (now, before) -> {})) {
        long start = System.nanoTime();
        long end = start + (long) (minutes * 60e9);
        // one stream id for every loop: per-stream meters must not grow with the loop count
        Future<?> ingesting = ingestThread.submit(() -> {
          while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
            ingestor.ingest(new FileSource(input), IngestSettings.of(stream).withPacing(pacing));
            loops[0]++;
          }
          return null;
        });
        out.printf(Locale.ROOT, "soak: %s looped as stream %s at %s for %.1f min, sampling every %.0f s; warm-up %.1f min%n",
            input.getFileName(), stream, rate, minutes, sampleSeconds, warmup);
        out.println("| minute | RSS MB | heap used MB | frames out | frames/s | loops |");
        out.println("|---|---|---|---|---|---|");
        out.flush();
        Counter framesOut = metrics.registry().counter("segstream.frames.out", "component", "soak", "stream", stream);
        long next = start;
        double lastFrames = 0;
        double lastMinute = 0;
        while (System.nanoTime() < end) {
          next += (long) (sampleSeconds * 1e9);
          long sleepNanos = Math.min(next, end) - System.nanoTime();
          if (sleepNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(sleepNanos);
          }
          if (ingesting.isDone()) {
            ingesting.get(); // an ingest failure ends the soak with its message
          }
          if (service.isFailed()) {
            throw new IllegalStateException("the processor failed during the soak: " + service.failure(), service.failure());
          }
          double minute = (System.nanoTime() - start) / 60e9;
          Sample s = new Sample(minute, ResidentMemory.bytes().orElse(-1),
              ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), framesOut.count(), loops[0]);
          samples.add(s);
          double fps = (s.framesOut() - lastFrames) / ((minute - lastMinute) * 60);
          lastFrames = s.framesOut();
          lastMinute = minute;
          out.printf(Locale.ROOT, "| %.2f | %.0f | %.0f | %.0f | %.1f | %d |%n",
              minute, s.rssBytes() / 1e6, s.heapBytes() / 1e6, s.framesOut(), fps, s.loops());
          out.flush();
        }
        ingestor.stop();
        ingesting.get(60, TimeUnit.SECONDS);
      } finally {
        ingestThread.shutdownNow();
      }
    }
    List<Sample> judged = samples.stream().filter(s -> s.minute() >= warmup).toList();
    if (judged.size() < 2) {
      throw new UsageException("only " + judged.size() + " sample(s) after the warm-up: lower --sample-s or raise --minutes");
    }
    MemoryTrend trend = MemoryTrend.of(judged.stream().map(s -> new MemoryTrend.Point(s.minute(), s.rssBytes())).toList());
    out.printf(Locale.ROOT, "machine: %s%n", Machine.describe());
    out.printf(Locale.ROOT,
        "RSS after warm-up (%d samples, %.1f-%.1f min): min %.0f MB, max %.0f MB, spread %.1f%% (limit %.0f%%), trend %+.1f MB/min; %s%n",
        trend.samples(), judged.get(0).minute(), judged.get(judged.size() - 1).minute(), trend.minBytes() / 1e6,
        trend.maxBytes() / 1e6, trend.spread() * 100, maxGrowth * 100, trend.slopeMbPerMinute(),
        trend.flat(maxGrowth) ? "FLAT" : "NOT FLAT");
    out.flush();
    if (!trend.flat(maxGrowth)) {
      throw new QualityGateException(String.format(Locale.ROOT,
          "resident memory spread %.1f%% after the warm-up, more than --max-growth %.0f%%", trend.spread() * 100,
          maxGrowth * 100));
    }
    return ExitCodes.OK;
  }
}
