package org.segstream.bench;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.segstream.config.InvalidSettingException;
import org.segstream.ingest.FileSource;
import org.segstream.ingest.IngestSettings;
import org.segstream.ingest.Ingestor;
import org.segstream.ingest.Pacing;
import org.segstream.kafka.Cluster;
import org.segstream.kafka.Topics;
import org.segstream.model.ModelSettings;
import org.segstream.model.SegmentationModel;
import org.segstream.process.ProcessorSettings;
import org.segstream.process.SegmentationService;
import org.segstream.telemetry.MemoryTrend;
import org.segstream.telemetry.PrometheusMetrics;
import org.segstream.telemetry.ResidentMemory;

/**
 * Replays a clip in a loop through ingest and process in this JVM and samples the resident set size. TensorFlow,
 * FFmpeg and OpenCV allocate outside the heap, so a leak there shows in RSS, not in heap figures. Prints a row per
 * sample as it goes; the result judges the samples after the warm-up.
 */
public final class SoakBenchmark {
  private final Request request;
  private final String stream = "soak-" + UUID.randomUUID().toString().substring(0, 8);

  /**
   * @param bootstrapServers the cluster, or null (with {@code kafkaConfig} null too) for an embedded broker
   * @param warmupMinutes samples before this are not judged
   * @param rate the pacing as the user named it, for the header
   * @param maxGrowth the largest allowed (max − min) / min of RSS after the warm-up
   */
  public record Request(String bootstrapServers, Path kafkaConfig, Path input, double minutes, double warmupMinutes,
      double sampleSeconds, String rate, Pacing pacing, double maxGrowth, ProcessorSettings settings, Path modelDirectory,
      ModelSettings modelOptions) {
    public Request {
      if (!Files.isRegularFile(input)) {
        throw new InvalidSettingException("input", input + " is not a readable video file");
      }
      if (!(minutes > 0)) {
        throw new InvalidSettingException("minutes", "the soak's length must be positive, got " + minutes);
      }
      if (!(sampleSeconds > 0)) {
        throw new InvalidSettingException("sample-s", "the time between samples must be positive, got " + sampleSeconds);
      }
      if (warmupMinutes >= minutes) {
        throw new InvalidSettingException("warmup-minutes", "a warm-up of " + warmupMinutes + " min leaves nothing of the "
            + minutes + " min to judge");
      }
      if (ResidentMemory.bytes().isEmpty()) {
        throw new InvalidSettingException(null, "resident memory is read from /proc/self/status, which this system lacks"
            + " (Linux only)");
      }
    }
  }

  /** One sample. */
  public record Sample(double minute, long rssBytes, long heapBytes, double framesOut, long loops) {}

  /** The samples after the warm-up, their trend, and whether it is flat within the allowed growth. */
  public record Result(List<Sample> judged, MemoryTrend trend, double maxGrowth) {
    public Result {
      judged = List.copyOf(judged);
    }

    public boolean flat() {
      return trend.flat(maxGrowth);
    }

    public void print(PrintWriter out) {
      out.printf(Locale.ROOT, "machine: %s%n", org.segstream.model.Machine.describe());
      out.printf(Locale.ROOT,
          "RSS after warm-up (%d samples, %.1f-%.1f min): min %.0f MB, max %.0f MB, spread %.1f%% (limit %.0f%%), trend %+.1f MB/min; %s%n",
          trend.samples(), judged.get(0).minute(), judged.get(judged.size() - 1).minute(), trend.minBytes() / 1e6,
          trend.maxBytes() / 1e6, trend.spread() * 100, maxGrowth * 100, trend.slopeMbPerMinute(), flat() ? "FLAT" : "NOT FLAT");
      out.flush();
    }
  }

  private SoakBenchmark(Request request) {
    this.request = request;
  }

  /** Runs the soak, printing a row per sample on {@code out}. */
  public static Result run(Request request, PrintWriter out) throws Exception {
    List<Sample> samples;
    try (Cluster cluster = Cluster.givenOrEmbedded(request.bootstrapServers(), request.kafkaConfig());
        SegmentationModel model = SegmentationModel.load(request.modelDirectory(), request.modelOptions());
        PrometheusMetrics metrics = new PrometheusMetrics("soak")) {
      try (Admin admin = Admin.create(cluster.settings().adminProperties())) {
        Topics.ensureCreated(admin);
      }
      samples = new SoakBenchmark(request).soak(cluster, model, metrics, out);
    }
    List<Sample> judged = samples.stream().filter(s -> s.minute() >= request.warmupMinutes()).toList();
    if (judged.size() < 2) {
      throw new InvalidSettingException("sample-s", "only " + judged.size() + " sample(s) after the warm-up: sample more"
          + " often or run longer");
    }
    MemoryTrend trend = MemoryTrend.of(judged.stream().map(s -> new MemoryTrend.Point(s.minute(), s.rssBytes())).toList());
    return new Result(judged, trend, request.maxGrowth());
  }

  private List<Sample> soak(Cluster cluster, SegmentationModel model, PrometheusMetrics metrics, PrintWriter out)
      throws Exception {
    Ingestor ingestor = new Ingestor(cluster.settings());
    ExecutorService ingestThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "segstream-soak-ingest"));
    long[] loops = {0};
    try (SegmentationService service = SegmentationService.start(cluster.settings().common(), "segstream-" + stream,
        request.settings(), model, Duration.ofSeconds(120), metrics, (now, before) -> {})) {
      long start = System.nanoTime();
      long end = start + (long) (request.minutes() * 60e9);
      // one stream id for every loop: per-stream meters must not grow with the loop count
      Future<?> ingesting = ingestThread.submit(() -> {
        while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
          ingestor.ingest(new FileSource(request.input()), IngestSettings.of(stream).withPacing(request.pacing()));
          loops[0]++;
        }
        return null;
      });
      out.printf(Locale.ROOT, "soak: %s looped as stream %s at %s for %.1f min, sampling every %.0f s; warm-up %.1f min%n",
          request.input().getFileName(), stream, request.rate(), request.minutes(), request.sampleSeconds(),
          request.warmupMinutes());
      out.println("| minute | RSS MB | heap used MB | frames out | frames/s | loops |");
      out.println("|---|---|---|---|---|---|");
      out.flush();
      Counter framesOut = metrics.registry().counter("segstream.frames.out", "component", "soak", "stream", stream);
      List<Sample> samples = sample(start, end, () -> new Sample(0, 0, 0, framesOut.count(), loops[0]), ingesting, service, out);
      ingestor.stop();
      ingesting.get(60, TimeUnit.SECONDS);
      return samples;
    } finally {
      ingestThread.shutdownNow();
    }
  }

  /** Counts at a moment: frames out and loops so far (the rest of the sample is filled in here). */
  private interface Counts {
    Sample now();
  }

  private List<Sample> sample(long start, long end, Counts counts, Future<?> ingesting, SegmentationService service,
      PrintWriter out) throws Exception {
    List<Sample> samples = new ArrayList<>();
    long next = start;
    double lastFrames = 0;
    double lastMinute = 0;
    while (System.nanoTime() < end) {
      next += (long) (request.sampleSeconds() * 1e9);
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
      Sample c = counts.now();
      Sample s = new Sample(minute, ResidentMemory.bytes().orElse(-1),
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), c.framesOut(), c.loops());
      samples.add(s);
      double fps = (s.framesOut() - lastFrames) / ((minute - lastMinute) * 60);
      lastFrames = s.framesOut();
      lastMinute = minute;
      out.printf(Locale.ROOT, "| %.2f | %.0f | %.0f | %.0f | %.1f | %d |%n",
          minute, s.rssBytes() / 1e6, s.heapBytes() / 1e6, s.framesOut(), fps, s.loops());
      out.flush();
    }
    return samples;
  }
}
