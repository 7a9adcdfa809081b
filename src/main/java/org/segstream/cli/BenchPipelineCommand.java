package org.segstream.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.segstream.avro.SegmentationResult;
import org.segstream.eval.ReplayStatistics;
import org.segstream.eval.ResultCollector;
import org.segstream.image.ImageCodec;
import org.segstream.image.RgbImage;
import org.segstream.ingest.CapturedFrame;
import org.segstream.ingest.FileSource;
import org.segstream.ingest.FrameReader;
import org.segstream.ingest.IngestSettings;
import org.segstream.ingest.IngestSummary;
import org.segstream.ingest.Ingestor;
import org.segstream.ingest.Pacing;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topics;
import org.segstream.metrics.LatencySummary;
import org.segstream.model.BundledModels;
import org.segstream.model.Machine;
import org.segstream.model.SegmentationModel;
import org.segstream.process.ProcessorSettings;
import org.segstream.process.SegmentationService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segstream bench pipeline}: in one run, the model alone on the input's frames at the batch
 * size, {@code process} alone on a frames topic filled beforehand, the ingest cost per frame, and
 * the capture → result latency when the input plays at its native rate.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = "Pipeline throughput versus the model alone, ingest cost, and latency at the native rate.")
final class BenchPipelineCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;
  @Mixin ModelSelection modelSelection;
  @Mixin ProcessorOptions processorOptions;

  @Option(names = "--input", defaultValue = "../shared/data/video/cat.mp4", paramLabel = "FILE", description = "The video (default ${DEFAULT-VALUE}).")
  Path input;

  @Option(names = "--copies", defaultValue = "4", description = "Streams of the input put on the frames topic beforehand (default ${DEFAULT-VALUE}).")
  int copies;

  @Option(names = "--skip-latency", description = "Skip the native-rate latency run.")
  boolean skipLatency;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(input)) {
      throw new IllegalArgumentException("--input " + input + " is not a readable video file");
    }
    ProcessorSettings settings = processorOptions.toSettings();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean embedded = kafka.bootstrapServers == null && kafka.kafkaConfig == null;
    String run = UUID.randomUUID().toString().substring(0, 8);
    try (EmbeddedBroker broker = embedded ? EmbeddedBroker.start() : null;
        SegmentationModel model = modelSelection.open(BundledModels.LIVE)) {
      KafkaSettings kafkaSettings = embedded ? broker.settings() : kafka.settings();
      try (Admin admin = Admin.create(kafkaSettings.adminProperties())) {
        Topics.ensureCreated(admin);
      }

      // 1. model alone on the same frames, at the processor's batch size
      List<RgbImage> frames = new ArrayList<>();
      try (FrameReader reader = new FileSource(input).open()) {
        for (CapturedFrame f = reader.next(); f != null; f = reader.next()) {
          frames.add(ImageCodec.resizeBilinear(f.image(), model.metadata().inputWidth(), model.metadata().inputHeight()));
        }
      }
      int b = settings.batchSize();
      model.predict(frames.subList(0, Math.min(b, frames.size()))); // warm-up
      long t0 = System.nanoTime();
      int modelFrames = 0;
      for (int rep = 0; rep < copies; rep++) {
        for (int i = 0; i + b <= frames.size(); i += b) {
          model.predict(frames.subList(i, i + b));
          modelFrames += b;
        }
      }
      double modelFps = modelFrames / ((System.nanoTime() - t0) / 1e9);
      err.printf("bench: model alone %.1f frames/s at batch %d%n", modelFps, b);

      // 2. fill the frames topic beforehand, measuring the ingest cost per frame
      Set<String> streams = new HashSet<>();
      List<IngestSummary> ingests = new ArrayList<>();
      for (int c = 0; c < copies; c++) {
        String stream = "bench-" + run + "-" + c;
        streams.add(stream);
        ingests.add(new Ingestor(kafkaSettings).ingest(new FileSource(input), IngestSettings.of(stream).withPacing(new Pacing.Max())));
      }
      long ingestFrames = ingests.stream().mapToLong(IngestSummary::framesPublished).sum();
      double decodeMs = ingests.stream().mapToLong(IngestSummary::decodeNanos).sum() / 1e6 / ingestFrames;
      double encodeMs = ingests.stream().mapToLong(IngestSummary::encodeNanos).sum() / 1e6 / ingestFrames;
      double publishMs = ingests.stream().mapToLong(IngestSummary::publishNanos).sum() / 1e6 / ingestFrames;
      double ingestFps = ingestFrames / (ingests.stream().mapToLong(IngestSummary::elapsedNanos).sum() / 1e9);

      // 3. process alone on the filled topic
      double pipelineFps;
      ReplayStatistics processStats;
      try (ResultCollector collector = ResultCollector.open(kafkaSettings, streams)) {
        long start = System.currentTimeMillis();
        try (SegmentationService service =
            SegmentationService.start(kafkaSettings.common(), "segstream-bench-" + run, settings, model, Duration.ofSeconds(120))) {
          List<SegmentationResult> results = collector.collectUntilEndOfStream(Duration.ofMinutes(20), r -> {});
          // from the first result on, so Streams' start-up and first rebalance are not counted
          List<SegmentationResult> frameResults = results.stream().filter(r -> !r.getEndOfStream()).toList();
          long first = frameResults.stream().mapToLong(SegmentationResult::getResultWallTimeMs).min().orElse(start);
          long last = frameResults.stream().mapToLong(SegmentationResult::getResultWallTimeMs).max().orElse(start);
          int firstBatch = (int) frameResults.stream().filter(r -> r.getResultWallTimeMs() == first).count();
          pipelineFps = (frameResults.size() - firstBatch) / Math.max(0.001, (last - first) / 1000.0);
          processStats = ReplayStatistics.of(results);

          // 4. latency at the native rate, the processor already warm
          LatencySummary latency = null;
          if (!skipLatency) {
            String live = "bench-" + run + "-native";
            try (ResultCollector liveCollector = ResultCollector.open(kafkaSettings, Set.of(live))) {
              ExecutorService ingestThread = Executors.newSingleThreadExecutor();
              try {
                Future<IngestSummary> done =
                    ingestThread.submit(() -> new Ingestor(kafkaSettings).ingest(new FileSource(input), IngestSettings.of(live).withPacing(new Pacing.Native())));
                List<SegmentationResult> liveResults = liveCollector.collectUntilEndOfStream(Duration.ofMinutes(10), r -> {});
                done.get();
                latency = ReplayStatistics.of(liveResults).captureToResultMs();
              } finally {
                ingestThread.shutdownNow();
              }
            }
          }
          print(out, model, settings, modelFps, pipelineFps, processStats, decodeMs, encodeMs, publishMs, ingestFps, latency, frames.size());
        }
      }
    }
    return ExitCodes.OK;
  }

  private void print(
      PrintWriter out,
      SegmentationModel model,
      ProcessorSettings settings,
      double modelFps,
      double pipelineFps,
      ReplayStatistics stats,
      double decodeMs,
      double encodeMs,
      double publishMs,
      double ingestFps,
      LatencySummary latency,
      int framesPerCopy) {
    out.printf(Locale.ROOT, "machine: %s%n", Machine.describe());
    out.printf(
        Locale.ROOT,
        "model %s %s at %dx%d, batch %d / %d ms, refine %s; input %s (%d frames) x %d streams%n",
        model.metadata().name(),
        model.metadata().version(),
        model.metadata().inputWidth(),
        model.metadata().inputHeight(),
        settings.batchSize(),
        settings.batchMaxDelay().toMillis(),
        processorOptions.refine,
        input.getFileName(),
        framesPerCopy,
        copies);
    out.println("| measure | value |");
    out.println("|---|---|");
    out.printf(Locale.ROOT, "| model alone, frames/s (batch %d) | %.1f |%n", settings.batchSize(), modelFps);
    out.printf(Locale.ROOT, "| process alone, frames/s (topic filled beforehand) | %.1f |%n", pipelineFps);
    out.printf(Locale.ROOT, "| process / model | %.2f |%n", pipelineFps / modelFps);
    out.printf(Locale.ROOT, "| process mean batch size | %.2f |%n", stats.meanBatchSize());
    StringBuilder stages = new StringBuilder();
    stats.meanStageMs().forEach((k, v) -> stages.append(String.format(Locale.ROOT, "%s %.2f, ", k, v)));
    out.printf(Locale.ROOT, "| process ms per frame by stage (inference = whole batch) | %s |%n", stages.substring(0, stages.length() - 2));
    out.printf(Locale.ROOT, "| ingest ms per frame: decode / resize+JPEG / publish | %.2f / %.2f / %.2f |%n", decodeMs, encodeMs, publishMs);
    out.printf(Locale.ROOT, "| ingest alone, frames/s at --rate max | %.1f |%n", ingestFps);
    if (latency != null) {
      out.printf(
          Locale.ROOT,
          "| latency capture → result at native rate, p50 / p95 / p99 / max ms | %.0f / %.0f / %.0f / %.0f |%n",
          latency.p50(),
          latency.p95(),
          latency.p99(),
          latency.max());
    }
    out.flush();
  }
}
