package org.segstream.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.segstream.avro.SegmentationResult;
import org.segstream.config.Secrets;
import org.segstream.eval.ReplayStatistics;
import org.segstream.eval.ReplayRun;
import org.segstream.kafka.ResultRecords;
import org.segstream.image.LabelMap;
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
import org.segstream.metrics.BoundaryF;
import org.segstream.metrics.ConfusionMatrix;
import org.segstream.model.BundledModels;
import org.segstream.model.Machine;
import org.segstream.model.ModelMetadata;
import org.segstream.model.SegmentationModel;
import org.segstream.process.ProcessorSettings;
import org.segstream.process.SegmentationService;
import org.segstream.progress.ProgressCounter;
import org.segstream.report.Overlay;
import org.segstream.report.ReportFiles;
import org.segstream.report.VideoWriter;
import org.segstream.synth.SyntheticClip;
import org.segstream.synth.SyntheticScenes;
import org.segstream.train.Architecture;
import org.segstream.train.ProgressPrinter;
import org.segstream.train.SyntheticTrainer;
import org.segstream.train.TrainSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segstream demo}: the whole path on embedded defaults. A labelled synthetic clip (or
 * {@code --input FILE}) is ingested into Kafka, segmented by the Streams processor and read back;
 * the overlay video and the report land in {@code out/demo}.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole pipeline in one process on embedded defaults: a Kafka broker, a labelled synthetic clip",
      "(or --input FILE with the bundled pets model), ingest, process, results; writes an overlay video and a report."
    })
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
  /** Bump when the demo's training recipe changes, so a stale cached model is not reused. */
  private static final String DEMO_MODEL_RECIPE = "demo-synthetic-v2";

  @Mixin KafkaOptions kafka;
  @Mixin ModelSelection modelSelection;
  @Mixin ProcessorOptions processorOptions;

  @Option(names = "--input", paramLabel = "FILE", description = "A real video to segment with the bundled pets model (no ground truth).")
  Path input;

  @Option(names = "--out", defaultValue = "out/demo", paramLabel = "DIR", description = "Where the report and videos go (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--seconds", defaultValue = "10", description = "Length of the synthetic clip (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--width", defaultValue = "640", description = "Synthetic clip width (default ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--height", defaultValue = "360", description = "Synthetic clip height (default ${DEFAULT-VALUE}).")
  int height;

  @Option(names = "--objects", defaultValue = "3", description = "Moving objects in the synthetic clip (default ${DEFAULT-VALUE}).")
  int objects;

  @Option(names = "--seed", defaultValue = "7", description = "Seed of the synthetic clip (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--train-steps",
      defaultValue = "600",
      description = "Optimiser steps of the synthetic-scene model when none is cached: a fixed count, so the model does not "
          + "depend on the machine's speed (default ${DEFAULT-VALUE}, about a minute on 2 cores).")
  int trainSteps;

  @Option(
      names = "--train-seconds",
      defaultValue = "0",
      description = "Optional wall-clock cap on that training, 0 for none (default ${DEFAULT-VALUE}).")
  double trainSeconds;

  @Option(names = "--rate", defaultValue = "native", description = "Ingest pacing: native (real time), max, or frames/s (default ${DEFAULT-VALUE}).")
  String rate;

  @Option(names = "--timeout-s", defaultValue = "600", description = "Give up when the results have not all arrived after this long (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ProcessorSettings settings = processorOptions.toSettings();
    Pacing pacing = Pacing.parse(rate);
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    Files.createDirectories(out);
    long started = System.nanoTime();

    SyntheticClip clip = input == null ? new SyntheticClip(seed, width, height, objects) : null;
    Path video = input;
    if (clip != null) {
      video = out.resolve("input.mp4");
      writeClip(clip, seconds * clip.fps(), video);
      stderr.printf("demo: wrote the synthetic clip %s (%d frames, %dx%d, 30 fps)%n", video, seconds * clip.fps(), width, height);
    } else if (!Files.isRegularFile(input)) {
      throw new IllegalArgumentException("--input " + input + " is not a readable file: give a video file");
    }
    Path modelDir = clip != null ? demoModel(stderr) : modelSelection.directory(BundledModels.LIVE);

    boolean embedded = kafka.bootstrapServers == null && kafka.kafkaConfig == null;
    String streamId = "demo-" + UUID.randomUUID().toString().substring(0, 8);
    List<SegmentationResult> results;
    IngestSummary ingest;
    List<org.segstream.avro.DeadLetter> deadLetters;
    ModelMetadata meta;
    try (EmbeddedBroker broker = embedded ? startBroker(stderr) : null;
        SegmentationModel model = SegmentationModel.load(modelDir, modelSelection.options())) {
      meta = model.metadata();
      KafkaSettings kafkaSettings = embedded ? broker.settings() : kafka.settings();
      stderr.printf("demo: ingesting %s as stream %s (%s)%n", video, streamId, pacing);
      ProgressCounter progress = new ProgressCounter(stderr, "demo:", "results", 0);
      ReplayRun.Outcome outcome =
          ReplayRun.run(
              kafkaSettings, model, settings, new FileSource(video), IngestSettings.of(streamId).withPacing(pacing),
              "segstream-demo-" + streamId, Duration.ofSeconds(timeoutSeconds),
              r -> {
                if (!r.getEndOfStream()) {
                  progress.step();
                }
              });
      progress.finish();
      results = outcome.results();
      ingest = outcome.ingest();
      deadLetters = outcome.deadLetters();
    }

    // figures, overlay video, report
    Map<Long, SegmentationResult> bySequence = new TreeMap<>();
    for (SegmentationResult r : results) {
      if (!r.getEndOfStream()) {
        bySequence.put(r.getSequence(), r);
      }
    }
    ConfusionMatrix confusion = new ConfusionMatrix(meta.classNames().size());
    BoundaryF boundaryF = new BoundaryF(2);
    Path overlay = out.resolve("overlay.mp4");
    writeOverlay(clip, video, bySequence, meta.backgroundClass(), overlay, confusion, boundaryF);
    ReplayStatistics stats = ReplayStatistics.of(results);
    double wallSeconds = (System.nanoTime() - started) / 1e9;

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("command", "segstream " + String.join(" ", Secrets.maskArgs(spec.commandLine().getParseResult().originalArgs())));
    report.put("createdAt", Instant.now().toString());
    report.put("machine", Machine.describe());
    report.put("input", clip != null ? "synthetic clip, seed " + seed + ", " + width + "x" + height + ", " + seconds + " s" : input.toString());
    report.put("model", Map.of("name", meta.name(), "version", meta.version(), "directory", modelDir.toString()));
    report.put("streamId", streamId);
    report.put("framesIn", ingest.framesPublished());
    report.put("resultsOut", bySequence.size());
    report.put("endOfStream", results.stream().anyMatch(SegmentationResult::getEndOfStream));
    report.put("deadLetters", deadLetters.size());
    report.put("refine", processorOptions.refine.name());
    report.put("batchSize", settings.batchSize());
    if (clip != null) {
      Map<String, Object> accuracy = new LinkedHashMap<>();
      accuracy.put("mIoU", confusion.meanIoU());
      accuracy.put("pixelAccuracy", confusion.pixelAccuracy());
      Map<String, Double> perClass = new LinkedHashMap<>();
      for (int k = 0; k < meta.classNames().size(); k++) {
        perClass.put(meta.classNames().get(k), confusion.iou(k));
      }
      accuracy.put("perClassIoU", perClass);
      accuracy.put("foregroundIoU", confusion.foregroundIoU(meta.backgroundClass()));
      accuracy.put("boundaryF2px", boundaryF.mean());
      report.put("accuracy", accuracy);
    }
    report.put("framesPerSecond", stats.framesPerSecond());
    report.put("latencyMs", stats.captureToResultMs());
    report.put("meanStageMs", stats.meanStageMs());
    report.put("meanBatchSize", stats.meanBatchSize());
    report.put("wallSeconds", wallSeconds);
    report.put("files", Map.of("overlay", overlay.toString(), "input", video.toString()));
    ReportFiles.writeJson(out, report);
    String summary = summary(report, stats, clip != null ? confusion : null, meta);
    ReportFiles.writeMarkdown(out, "# Segstream demo\n\n" + summary + "\nOverlay video: `overlay.mp4`. Every figure: `report.json`.\n");
    stdout.print(summary);
    stdout.printf("report: %s, overlay video: %s%n", out.resolve("report.md"), overlay);
    stdout.flush();
    return ExitCodes.OK;
  }

  private EmbeddedBroker startBroker(PrintWriter stderr) {
    EmbeddedBroker broker = EmbeddedBroker.start();
    stderr.printf("demo: embedded Kafka broker at %s%n", broker.bootstrapServers());
    return broker;
  }

  private static String summary(Map<String, Object> report, ReplayStatistics stats, ConfusionMatrix confusion, ModelMetadata meta) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "| figure | value |%n|---|---|%n"));
    s.append(row("model", meta.name() + " " + meta.version()));
    s.append(row("input", report.get("input")));
    s.append(row("frames in", report.get("framesIn")));
    s.append(row("results out", report.get("resultsOut")));
    s.append(row("dead letters", report.get("deadLetters")));
    if (confusion != null) {
      s.append(row("mIoU", String.format(Locale.ROOT, "%.3f", confusion.meanIoU())));
      for (int k = 0; k < meta.classNames().size(); k++) {
        s.append(row("IoU " + meta.classNames().get(k), String.format(Locale.ROOT, "%.3f", confusion.iou(k))));
      }
      s.append(row("pixel accuracy", String.format(Locale.ROOT, "%.3f", confusion.pixelAccuracy())));
    }
    s.append(row("refine", report.get("refine")));
    s.append(row("frames/s (capture of first → last result)", String.format(Locale.ROOT, "%.1f", stats.framesPerSecond())));
    s.append(
        row(
            "latency capture → result p50 / p95 / p99 ms",
            String.format(
                Locale.ROOT,
                "%.0f / %.0f / %.0f",
                stats.captureToResultMs().p50(),
                stats.captureToResultMs().p95(),
                stats.captureToResultMs().p99())));
    StringBuilder stages = new StringBuilder();
    stats.meanStageMs().forEach((k, v) -> stages.append(String.format(Locale.ROOT, "%s %.1f, ", k, v)));
    s.append(row("mean ms per stage", stages.substring(0, Math.max(0, stages.length() - 2))));
    s.append(row("mean batch size", String.format(Locale.ROOT, "%.2f", stats.meanBatchSize())));
    s.append(row("wall time s", String.format(Locale.ROOT, "%.1f", (Double) report.get("wallSeconds"))));
    return s.toString();
  }

  private static String row(String name, Object value) {
    return "| " + name + " | " + value + " |\n";
  }

  private static void writeClip(SyntheticClip clip, int frames, Path file) {
    try (VideoWriter writer = VideoWriter.open(file, clip.width(), clip.height(), clip.fps())) {
      for (int i = 0; i < frames; i++) {
        writer.write(clip.frame(i).image());
      }
    }
  }

  /** The overlay video, frame by frame from the source (synthetic frames are regenerated exactly). */
  private static void writeOverlay(
      SyntheticClip clip,
      Path video,
      Map<Long, SegmentationResult> results,
      int backgroundClass,
      Path overlayFile,
      ConfusionMatrix confusion,
      BoundaryF boundaryF) {
    if (results.isEmpty()) {
      return;
    }
    SegmentationResult first = results.values().iterator().next();
    double fps = clip != null ? clip.fps() : 30;
    try (VideoWriter writer = VideoWriter.open(overlayFile, first.getWidth(), first.getHeight(), fps);
        FrameReader reader = clip == null ? new FileSource(video).open() : null) {
      long sequence = 0;
      while (true) {
        RgbImage frame;
        LabelMap truth = null;
        if (clip != null) {
          if (!results.containsKey(sequence) && sequence > results.keySet().stream().max(Long::compare).orElse(-1L)) {
            break;
          }
          var labelled = clip.frame((int) sequence);
          frame = labelled.image();
          truth = labelled.truth();
        } else {
          CapturedFrame captured = reader.next();
          if (captured == null) {
            break;
          }
          frame = captured.image();
        }
        SegmentationResult r = results.get(sequence);
        sequence++;
        if (r == null || frame.width() != r.getWidth() || frame.height() != r.getHeight()) {
          continue;
        }
        LabelMap labels = ResultRecords.labels(r);
        if (truth != null) {
          confusion.add(truth, labels);
          boundaryF.add(truth, labels);
        }
        writer.write(Overlay.draw(frame, labels, backgroundClass, ResultRecords.contours(r)));
      }
    }
  }

  /** The synthetic-scene model: --model, else the cached one, else trained now (about a minute) and cached. */
  private Path demoModel(PrintWriter stderr) throws IOException {
    if (modelSelection.model != null) {
      return modelSelection.model;
    }
    // the recipe's name carries what changes the model, so another step count trains anew
    String recipe = DEMO_MODEL_RECIPE + "-" + trainSteps + "steps" + (trainSeconds > 0 ? "-" + trainSeconds + "s" : "");
    Path cached = BundledModels.cacheRoot().resolve(recipe);
    if (Files.isRegularFile(cached.resolve(ModelMetadata.FILE_NAME))) {
      stderr.printf("demo: using the cached synthetic-scene model %s%n", cached);
      return cached;
    }
    Files.createDirectories(cached.getParent());
    Path temp = Files.createTempDirectory(cached.getParent(), "." + recipe + "-");
    stderr.printf("demo: training the synthetic-scene model for %d steps (cached in %s afterwards)%n", trainSteps, cached);
    TrainSettings options =
        TrainSettings.builder(temp.resolve("model"))
            .architecture(Architecture.UNET_SMALL)
            .inputSize(160, 96)
            .steps(trainSteps)
            .maxSeconds(trainSeconds)
            .batchSize(8)
            .learningRate(0.01f)
            .seed(1337)
            .name("demo-synthetic")
            .version("1")
            .command("segstream demo (trains " + recipe + ")")
            .build();
    SyntheticTrainer.train(options, new ProgressPrinter(stderr));
    try {
      Files.move(temp.resolve("model"), cached, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (!Files.isRegularFile(cached.resolve(ModelMetadata.FILE_NAME))) {
        throw e;
      }
    }
    return cached;
  }
}
