package org.segstream.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.SegmentationResult;
import org.segstream.config.Secrets;
import org.segstream.dataset.GroundTruthFormat;
import org.segstream.dataset.OxfordPetsLayout;
import org.segstream.dataset.Pair;
import org.segstream.dataset.PairLayout;
import org.segstream.dataset.ValidationSplit;
import org.segstream.eval.DatasetEvaluator;
import org.segstream.eval.GroundTruthFiles;
import org.segstream.eval.ReplayRun;
import org.segstream.eval.ReplayScorer;
import org.segstream.eval.ReplayStatistics;
import org.segstream.kafka.ResultRecords;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;
import org.segstream.ingest.FileSource;
import org.segstream.ingest.FrameReader;
import org.segstream.ingest.FrameSource;
import org.segstream.ingest.ImageSequenceSource;
import org.segstream.ingest.IngestSettings;
import org.segstream.ingest.Pacing;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.kafka.KafkaSettings;
import org.segstream.metrics.FrameScore;
import org.segstream.metrics.LatencySummary;
import org.segstream.metrics.Scores;
import org.segstream.model.BundledModels;
import org.segstream.model.Machine;
import org.segstream.model.ModelMetadata;
import org.segstream.model.SegmentationModel;
import org.segstream.process.ProcessorSettings;
import org.segstream.progress.ProgressCounter;
import org.segstream.report.Charts;
import org.segstream.report.ContactSheet;
import org.segstream.report.Overlay;
import org.segstream.report.ReportFiles;
import org.segstream.report.VideoWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segstream eval}: accuracy and latency of the whole pipeline against ground truth. {@code --input} replays a
 * video or a frame directory through Kafka (ingest → process → results); {@code --data} scores an image set straight
 * through the model and refinement. Writes report.json, report.md, charts, a contact sheet and (replay) an overlay
 * video into {@code --out}; {@code --min-miou} turns the result into exit code 3.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Measure accuracy and latency against ground truth: --input VIDEO_OR_FRAME_DIR --ground-truth MASK_DIR replays",
      "through Kafka (embedded broker unless --bootstrap-servers); --data DIR scores an image set without Kafka.",
      "Writes report.json, report.md, charts, a contact sheet and an overlay video into --out."
    })
final class EvalCommand implements Callable<Integer> {
  enum Split {
    val,
    all
  }

  enum GtFormat {
    trimap,
    index,
    binary
  }

  /** One refine mode's processor settings. */
  private record Mode(String name, ProcessorSettings settings) {}

  @Mixin KafkaOptions kafka;
  @Mixin ModelSelection modelSelection;
  @Mixin ProcessorOptions processorOptions;

  @Option(names = "--input", paramLabel = "VIDEO_OR_FRAME_DIR", description = "A video file or a directory of numbered frames to replay through Kafka.")
  Path input;

  @Option(names = "--ground-truth", paramLabel = "MASK_DIR", description = "Numbered masks of --input's frames (00000.png = frame 0).")
  Path groundTruth;

  @Option(names = "--data", paramLabel = "DIR", description = "An image set (Oxford-IIIT Pet layout, or images/ + masks/) scored without Kafka.")
  Path data;

  @Option(
      names = "--split",
      defaultValue = "val",
      description = "With --data: val (the validation names recorded in the model's metadata) or all (default ${DEFAULT-VALUE}).")
  Split split;

  @Option(
      names = "--gt-format",
      description = "Ground truth: trimap (Oxford 1/2/3), index (pixel = class) or binary (0/255, scored as foreground IoU). "
          + "Default: binary for --input, trimap for an Oxford --data set, index for images/ + masks/.")
  GtFormat gtFormat;

  @Option(names = "--out", defaultValue = "out/eval", paramLabel = "DIR", description = "Where the report goes (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--rate", defaultValue = "native", description = "Replay pacing: native (real time), max, or frames/s (default ${DEFAULT-VALUE}).")
  String rate;

  @Option(names = "--frame-rate", defaultValue = "24", description = "Frames/s of a frame directory (default ${DEFAULT-VALUE}, as DAVIS).")
  double frameRate;

  @Option(
      names = "--gt-start",
      paramLabel = "N",
      description = "The number in the name of frame 0's mask (default: the first frame's number for a frame directory, else 0).")
  Long gtStart;

  @Option(names = "--boundary-tolerance", defaultValue = "2", paramLabel = "PX", description = "Boundary F tolerance in pixels (default ${DEFAULT-VALUE}).")
  int boundaryTolerance;

  @Option(names = "--min-miou", paramLabel = "X", description = "Exit 3 when the mIoU (of any refine mode run) is below X.")
  Double minMiou;

  @Option(names = "--contact-frames", defaultValue = "4", description = "Rows of the contact sheet (default ${DEFAULT-VALUE}; 0 = none).")
  int contactFrames;

  @Option(names = "--timeout-s", defaultValue = "600", description = "Give up on a replay whose results have not all arrived after this long (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    // charts and the contact sheet are drawn off-screen; there may be no display
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    validate();
    List<Mode> modes = modes();
    Path modelDir = modelSelection.directory(BundledModels.LIVE);
    Files.createDirectories(out);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("command", "segstream " + String.join(" ", Secrets.maskArgs(spec.commandLine().getParseResult().originalArgs())));
    report.put("createdAt", Instant.now().toString());
    report.put("machine", Machine.describe());
    StringBuilder md = new StringBuilder();
    Map<String, Double> mIoUs = input != null ? replay(modes, modelDir, report, md) : dataset(modes, modelDir, report, md);

    String gate = null;
    if (minMiou != null) {
      for (var e : mIoUs.entrySet()) {
        if (!(e.getValue() >= minMiou)) {
          gate = String.format(Locale.ROOT, "mIoU %.4f (refine %s) is below --min-miou %s (report: %s)", e.getValue(), e.getKey(),
              minMiou, out.resolve("report.md"));
          break;
        }
      }
      report.put("gate", Map.of("minMIoU", minMiou, "passed", gate == null));
    }
    ReportFiles.writeJson(out, report);
    ReportFiles.writeMarkdown(out, md.toString());
    PrintWriter stdout = spec.commandLine().getOut();
    int table = md.indexOf("| figure");
    int tableEnd = md.indexOf("\n\n", table);
    stdout.print(md.substring(table, tableEnd < 0 ? md.length() : tableEnd + 1));
    stdout.printf("report: %s%n", out.resolve("report.md"));
    stdout.flush();
    if (gate != null) {
      throw new QualityGateException(gate);
    }
    return ExitCodes.OK;
  }

  private void validate() {
    if ((input == null) == (data == null)) {
      throw new UsageException("give either --input VIDEO_OR_FRAME_DIR with --ground-truth MASK_DIR, or --data DIR");
    }
    if (input != null && groundTruth == null) {
      throw new UsageException("--input needs --ground-truth MASK_DIR: the directory of numbered masks of its frames");
    }
    if (data != null && groundTruth != null) {
      throw new UsageException("--ground-truth goes with --input; a --data set holds its own masks");
    }
    if (input != null && !Files.exists(input)) {
      throw new UsageException("--input " + input + " does not exist: give a video file or a directory of numbered frames");
    }
    if (data != null && !Files.isDirectory(data)) {
      throw new UsageException("--data " + data + " is not a directory: give a dataset directory with images/");
    }
    if (boundaryTolerance < 0) {
      throw new UsageException("--boundary-tolerance must be at least 0 px, got " + boundaryTolerance);
    }
    if (contactFrames < 0) {
      throw new UsageException("--contact-frames must be at least 0, got " + contactFrames);
    }
    if (!(frameRate > 0) || Double.isInfinite(frameRate)) {
      throw new UsageException("--frame-rate must be a positive number of frames/s, got " + frameRate);
    }
  }

  private List<Mode> modes() {
    return switch (processorOptions.refine) {
      case off -> List.of(new Mode("off", processorOptions.toSettings(false)));
      case crf -> List.of(new Mode("crf", processorOptions.toSettings(true)));
      case both -> List.of(new Mode("off", processorOptions.toSettings(false)), new Mode("crf", processorOptions.toSettings(true)));
    };
  }

  private static GroundTruthFormat format(GtFormat f) {
    return GroundTruthFormat.valueOf(f.name().toUpperCase(Locale.ROOT));
  }

  // ---------------------------------------------------------------- replay through Kafka

  private Map<String, Double> replay(List<Mode> modes, Path modelDir, Map<String, Object> report, StringBuilder md) throws Exception {
    PrintWriter stderr = spec.commandLine().getErr();
    Pacing pacing = Pacing.parse(rate);
    FrameSource source = Files.isDirectory(input) ? new ImageSequenceSource(input, frameRate) : new FileSource(input);
    long firstNumber = gtStart != null ? gtStart
        : source instanceof ImageSequenceSource seq ? GroundTruthFiles.firstNumberOf(seq.frames()) : 0;
    GroundTruthFiles truthFiles = GroundTruthFiles.index(groundTruth, firstNumber);
    GroundTruthFormat format = format(gtFormat != null ? gtFormat : GtFormat.binary);
    long expectedFrames = source instanceof ImageSequenceSource seq ? seq.frames().size() : 0;

    boolean embedded = kafka.bootstrapServers == null && kafka.kafkaConfig == null;
    Map<String, ReplayRun.Outcome> outcomes = new LinkedHashMap<>();
    ModelMetadata meta;
    String runId = UUID.randomUUID().toString().substring(0, 8);
    String cluster;
    try (EmbeddedBroker broker = embedded ? EmbeddedBroker.start() : null;
        SegmentationModel model = SegmentationModel.load(modelDir, modelSelection.options())) {
      meta = model.metadata();
      KafkaSettings kafkaSettings = embedded ? broker.settings() : kafka.settings();
      cluster = embedded ? "embedded " + broker.bootstrapServers() : Secrets.maskServers(kafkaSettings.bootstrapServers());
      stderr.printf("eval: Kafka %s; model %s %s; replaying %s (%s)%n", cluster, meta.name(), meta.version(), source.uri(), pacing);
      for (Mode mode : modes) {
        String streamId = "eval-" + runId + "-" + mode.name();
        ProgressCounter progress = new ProgressCounter(stderr, "eval: refine " + mode.name(), "frames", expectedFrames);
        ReplayRun.Outcome outcome =
            ReplayRun.run(
                kafkaSettings, model, mode.settings(), source, IngestSettings.of(streamId).withPacing(pacing),
                "segstream-eval-" + streamId, Duration.ofSeconds(timeoutSeconds),
                r -> {
                  if (!r.getEndOfStream()) {
                    progress.step();
                  }
                });
        progress.finish();
        outcomes.put(mode.name(), outcome);
      }
    }

    // score every mode in one pass over the frames, drawing the overlay video and the contact sheet on the way
    Map<String, List<SegmentationResult>> resultsByMode = new LinkedHashMap<>();
    outcomes.forEach((m, o) -> resultsByMode.put(m, o.results()));
    String overlayMode = modes.get(modes.size() - 1).name();
    Set<Long> sheetFrames = pick(new ArrayList<>(truthFiles.bySequence().keySet().stream()
        .filter(s -> expectedFrames == 0 || s < expectedFrames).toList()), contactFrames);
    List<ContactSheet.Row> rows = new ArrayList<>();
    Path overlayFile = out.resolve("overlay.mp4");
    double fps;
    int width;
    int height;
    try (FrameReader probe = source.open()) {
      fps = probe.frameRate() > 0 ? probe.frameRate() : 25;
      width = probe.width();
      height = probe.height();
    }
    stderr.println("eval: scoring, drawing the overlay video and the contact sheet");
    ReplayScorer.Outcome scored;
    ModelMetadata m = meta;
    try (VideoWriter overlay = VideoWriter.open(overlayFile, width, height, fps)) {
      scored =
          ReplayScorer.score(
              source, truthFiles, format, meta, boundaryTolerance, resultsByMode,
              view -> {
                SegmentationResult r = view.results().get(overlayMode);
                LabelMap labels = view.predictions().get(overlayMode);
                boolean drawable = r != null && labels.width() == view.frame().width() && labels.height() == view.frame().height();
                RgbImage frame = drawable ? Overlay.draw(view.frame(), labels, m.backgroundClass(), ResultRecords.contours(r)) : view.frame();
                if (frame.width() == width && frame.height() == height) {
                  overlay.write(frame);
                }
                if (view.truth() != null && sheetFrames.contains(view.sequence())) {
                  rows.add(sheetRow("frame " + view.sequence(), view.frame(), view.truth(), modes, view.predictions(), format, m));
                }
              });
    }

    report.put("kind", "replay");
    report.put("input", input.toAbsolutePath().toString());
    report.put("groundTruth", groundTruth.toAbsolutePath().toString());
    report.put("gtFormat", format.name().toLowerCase(Locale.ROOT));
    report.put("gtFirstNumber", firstNumber);
    report.put("rate", pacing.toString());
    report.put("kafka", cluster);
    report.put("model", modelInfo(meta, modelDir));
    report.put("framesInInput", scored.frames());
    report.put("groundTruthFrames", truthFiles.bySequence().size());
    report.put("extraGroundTruth", scored.extraTruth());
    Map<String, Object> runs = new LinkedHashMap<>();
    Map<String, Double> mIoUs = new LinkedHashMap<>();
    Map<String, List<Double>> latencies = new LinkedHashMap<>();
    Map<String, Map<String, Double>> stages = new LinkedHashMap<>();
    List<Charts.Series> iouSeries = new ArrayList<>();
    Map<String, ReplayStatistics> statistics = new LinkedHashMap<>();
    for (Mode mode : modes) {
      ReplayRun.Outcome o = outcomes.get(mode.name());
      ReplayScorer.ModeScores ms = scored.byMode().get(mode.name());
      ReplayStatistics stats = ReplayStatistics.of(o.results());
      statistics.put(mode.name(), stats);
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("refine", mode.name());
      run.put("streamId", o.streamId());
      run.put("applicationId", o.applicationId());
      run.put("framesIn", o.ingest().framesPublished());
      run.put("resultsOut", o.frameResults().size());
      run.put("endOfStream", o.endOfStream());
      run.put("deadLetters", o.deadLetters().size());
      run.put("deadLetterReasons", deadLetterReasons(o.deadLetters()));
      run.put("matched", ms.matched());
      run.put("resultsWithoutGroundTruth", ms.withoutTruth());
      run.put("groundTruthWithoutResult", ms.withoutResult());
      run.put("accuracy", accuracy(ms.scores()));
      run.put("latencyMs", stats.captureToResultMs());
      run.put("meanStageMs", stats.meanStageMs());
      run.put("framesPerSecond", stats.framesPerSecond());
      run.put("meanBatchSize", stats.meanBatchSize());
      run.put("replaySeconds", o.wallTime().toMillis() / 1000.0);
      run.put("perFrame", ms.scores().perFrame());
      runs.put(mode.name(), run);
      mIoUs.put(mode.name(), ms.scores().meanIoU());
      latencies.put("refine " + mode.name(), o.frameResults().stream()
          .map(r -> (double) (r.getResultWallTimeMs() - r.getCaptureWallTimeMs())).toList());
      stages.put("refine " + mode.name(), stats.meanStageMs());
      List<FrameScore> perFrame = ms.scores().perFrame();
      iouSeries.add(new Charts.Series("refine " + mode.name(),
          perFrame.stream().mapToDouble(FrameScore::sequence).toArray(),
          perFrame.stream().mapToDouble(FrameScore::foregroundIoU).toArray()));
    }
    report.put("runs", runs);

    Map<String, String> files = new LinkedHashMap<>();
    files.put("iouOverTime", Charts.overTime(out.resolve("iou-over-time.png"), "Foreground IoU per frame", "frame",
        "foreground IoU", iouSeries).getFileName().toString());
    files.put("latencyHistogram", Charts.histogram(out.resolve("latency-histogram.png"), "Capture → result latency",
        "ms", latencies, 20).getFileName().toString());
    files.put("stages", Charts.stacked(out.resolve("stages.png"), "Mean time per frame by stage", "ms", stages)
        .getFileName().toString());
    if (!rows.isEmpty()) {
      files.put("contactSheet", ContactSheet.write(out.resolve("contact-sheet.png"), sheetTitles(modes), rows, 320)
          .getFileName().toString());
    }
    files.put("overlay", overlayFile.getFileName().toString());
    report.put("files", files);

    md.append("# Segstream eval: ").append(input.getFileName()).append("\n\n");
    md.append("`").append(report.get("command")).append("`  \n");
    md.append("Model ").append(meta.name()).append(' ').append(meta.version()).append(", ground truth ")
        .append(format.name().toLowerCase(Locale.ROOT)).append(" (").append(truthFiles.bySequence().size())
        .append(" masks), Kafka ").append(cluster).append(", pacing ").append(pacing).append(".  \n");
    md.append(Machine.describe()).append("\n\n");
    table(md, modes, mode -> {
      ReplayRun.Outcome o = outcomes.get(mode);
      ReplayScorer.ModeScores ms = scored.byMode().get(mode);
      ReplayStatistics st = statistics.get(mode);
      Map<String, String> col = new LinkedHashMap<>();
      col.put("frames in / results out / dead letters", o.ingest().framesPublished() + " / " + o.frameResults().size() + " / " + o.deadLetters().size());
      col.put("frames matched to ground truth", ms.matched() + " (results without truth " + ms.withoutTruth().size()
          + ", truth without result " + ms.withoutResult().size() + ")");
      accuracyRows(col, ms.scores());
      col.put("temporal stability (IoU of consecutive masks)", f3(ms.scores().temporalStability()));
      LatencySummary l = st.captureToResultMs();
      col.put("latency capture → result p50 / p95 / p99 / max ms", String.format(Locale.ROOT, "%.0f / %.0f / %.0f / %.0f", l.p50(), l.p95(), l.p99(), l.max()));
      col.put("mean ms per stage", stagesText(st.meanStageMs()));
      col.put("throughput frames/s", String.format(Locale.ROOT, "%.1f", st.framesPerSecond()));
      col.put("mean batch size", String.format(Locale.ROOT, "%.2f", st.meanBatchSize()));
      return col;
    });
    if (!scored.extraTruth().isEmpty()) {
      md.append("\nGround truth without a frame: ").append(String.join(", ", scored.extraTruth())).append('\n');
    }
    md.append("\n![foreground IoU per frame](iou-over-time.png)\n\n![latency histogram](latency-histogram.png)\n\n")
        .append("![stages](stages.png)\n\n");
    if (!rows.isEmpty()) {
      md.append("![contact sheet: input | truth | prediction](contact-sheet.png)\n\n");
    }
    md.append("Overlay video (refine ").append(overlayMode).append("): `overlay.mp4`. Every figure: `report.json`.\n");
    return mIoUs;
  }

  // ---------------------------------------------------------------- image set without Kafka

  private Map<String, Double> dataset(List<Mode> modes, Path modelDir, Map<String, Object> report, StringBuilder md) throws IOException {
    PrintWriter stderr = spec.commandLine().getErr();
    PairLayout dataset = PairLayout.open(data);
    List<Pair> all = dataset.pairs();
    GroundTruthFormat format = gtFormat != null ? format(gtFormat) : dataset.maskFormat();
    Map<String, DatasetEvaluator.Result> results = new LinkedHashMap<>();
    ModelMetadata meta;
    List<Pair> pairs;
    Set<Integer> keep;
    try (SegmentationModel model = SegmentationModel.load(modelDir, modelSelection.options())) {
      meta = model.metadata();
      if (split == Split.val) {
        List<String> names = meta.trainedOn() == null ? List.of() : meta.trainedOn().validationNames();
        if (names.isEmpty()) {
          throw new UsageException("the model " + meta.name() + " records no validation names in its " + ModelMetadata.FILE_NAME
              + ": use --split all");
        }
        pairs = ValidationSplit.select(all, names, dataset.root());
      } else {
        pairs = all;
      }
      keep = new TreeSet<>();
      for (long i : pick(java.util.stream.LongStream.range(0, pairs.size()).boxed().toList(), contactFrames)) {
        keep.add((int) i);
      }
      stderr.printf("eval: model %s %s on %d images of %s (%s split, %s masks)%n", meta.name(), meta.version(), pairs.size(), data,
          split, format.name().toLowerCase(Locale.ROOT));
      for (Mode mode : modes) {
        ProgressCounter progress = new ProgressCounter(stderr, "eval: refine " + mode.name(), "images", pairs.size());
        results.put(mode.name(), DatasetEvaluator.evaluate(model, mode.settings(), pairs, format, boundaryTolerance, keep, progress::update));
        progress.finish();
      }
    }

    report.put("kind", "dataset");
    report.put("data", data.toAbsolutePath().toString());
    report.put("layout", dataset instanceof OxfordPetsLayout ? "oxford-iiit-pet" : "images+masks");
    report.put("split", split.name());
    report.put("gtFormat", format.name().toLowerCase(Locale.ROOT));
    report.put("images", pairs.size());
    report.put("model", modelInfo(meta, modelDir));
    Map<String, Object> runs = new LinkedHashMap<>();
    Map<String, Double> mIoUs = new LinkedHashMap<>();
    Map<String, Map<String, Double>> stages = new LinkedHashMap<>();
    for (Mode mode : modes) {
      DatasetEvaluator.Result r = results.get(mode.name());
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("refine", mode.name());
      run.put("scored", r.scores().frames());
      run.put("skipped", r.skipped());
      run.put("accuracy", accuracy(r.scores()));
      run.put("latencyMs", r.perImageMs());
      run.put("meanStageMs", r.meanStageMs());
      run.put("imagesPerSecond", r.imagesPerSecond());
      run.put("wallSeconds", r.wallSeconds());
      List<Map<String, Object>> perImage = new ArrayList<>();
      for (FrameScore s : r.scores().perFrame()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", pairs.get((int) s.sequence()).name());
        row.put("mIoU", s.meanIoU());
        row.put("foregroundIoU", s.foregroundIoU());
        row.put("boundaryF", s.boundaryF());
        perImage.add(row);
      }
      run.put("perImage", perImage);
      runs.put(mode.name(), run);
      mIoUs.put(mode.name(), r.scores().meanIoU());
      stages.put("refine " + mode.name(), r.meanStageMs());
    }
    report.put("runs", runs);
    if (meta.metrics() != null) {
      report.put("recordedMetrics", meta.metrics());
    }

    Map<String, String> files = new LinkedHashMap<>();
    files.put("stages", Charts.stacked(out.resolve("stages.png"), "Mean time per image by stage", "ms", stages).getFileName().toString());
    List<ContactSheet.Row> rows = new ArrayList<>();
    for (int i : keep) {
      Pair pair = pairs.get(i);
      Map<String, LabelMap> predictions = new LinkedHashMap<>();
      results.forEach((mode, r) -> {
        if (r.kept().containsKey(i)) {
          predictions.put(mode, r.kept().get(i));
        }
      });
      if (predictions.isEmpty()) {
        continue; // skipped as unreadable
      }
      RgbImage image = ImageCodec.decode(Files.readAllBytes(pair.image()));
      LabelMap truth = format.truth(ImageCodec.decodePngGray(Files.readAllBytes(pair.mask())), meta.classNames().size());
      rows.add(sheetRow(pair.name(), image, truth, modes, predictions, format, meta));
    }
    if (!rows.isEmpty()) {
      files.put("contactSheet", ContactSheet.write(out.resolve("contact-sheet.png"), sheetTitles(modes), rows, 240)
          .getFileName().toString());
    }
    report.put("files", files);

    md.append("# Segstream eval: ").append(data.getFileName()).append(" (").append(split).append(")\n\n");
    md.append("`").append(report.get("command")).append("`  \n");
    md.append("Model ").append(meta.name()).append(' ').append(meta.version()).append(", ").append(pairs.size())
        .append(" images, masks ").append(format.name().toLowerCase(Locale.ROOT)).append(", no Kafka (FrameSegmenter).  \n");
    md.append(Machine.describe()).append("\n\n");
    table(md, modes, mode -> {
      DatasetEvaluator.Result r = results.get(mode);
      Map<String, String> col = new LinkedHashMap<>();
      col.put("images scored / skipped", r.scores().frames() + " / " + r.skipped().size());
      accuracyRows(col, r.scores());
      LatencySummary l = r.perImageMs();
      col.put("ms per image p50 / p95 / p99 / max", String.format(Locale.ROOT, "%.1f / %.1f / %.1f / %.1f", l.p50(), l.p95(), l.p99(), l.max()));
      col.put("mean ms per stage", stagesText(r.meanStageMs()));
      col.put("images/s", String.format(Locale.ROOT, "%.1f", r.imagesPerSecond()));
      return col;
    });
    if (meta.metrics() != null) {
      md.append(String.format(Locale.ROOT, "\nRecorded in the model's metadata: mIoU %.4f, foreground IoU %.4f, boundary F %.4f.%n",
          meta.metrics().mIoU(), meta.metrics().foregroundIoU(), meta.metrics().boundaryF()));
    }
    for (var e : results.entrySet()) {
      for (DatasetEvaluator.Skipped s : e.getValue().skipped()) {
        md.append("\nSkipped ").append(s.name()).append(" (refine ").append(e.getKey()).append("): ").append(s.reason()).append('\n');
      }
      break; // the same files fail in every mode
    }
    md.append("\n![stages](stages.png)\n\n");
    if (!rows.isEmpty()) {
      md.append("![contact sheet: input | truth | prediction](contact-sheet.png)\n\n");
    }
    md.append("Every figure, per image too: `report.json`.\n");
    return mIoUs;
  }

  // ---------------------------------------------------------------- report pieces

  private static Map<String, Object> modelInfo(ModelMetadata meta, Path dir) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", meta.name());
    m.put("version", meta.version());
    m.put("architecture", meta.architecture());
    m.put("inputWidth", meta.inputWidth());
    m.put("inputHeight", meta.inputHeight());
    m.put("classNames", meta.classNames());
    m.put("directory", dir.toAbsolutePath().toString());
    return m;
  }

  private Map<String, Object> accuracy(Scores s) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("frames", s.frames());
    a.put("mIoU", s.meanIoU());
    a.put("perClassIoU", s.perClassIoU());
    a.put("dice", s.dice());
    a.put("pixelAccuracy", s.pixelAccuracy());
    a.put("foregroundIoU", s.foregroundIoU());
    a.put("boundaryF", s.boundaryF());
    a.put("boundaryTolerancePx", s.boundaryTolerancePx());
    if (!Double.isNaN(s.temporalStability())) {
      a.put("temporalStability", s.temporalStability());
    }
    return a;
  }

  private static void accuracyRows(Map<String, String> col, Scores s) {
    col.put("mIoU", f3(s.meanIoU()));
    s.perClassIoU().forEach((k, v) -> col.put("IoU " + k, f3(v)));
    s.dice().forEach((k, v) -> col.put("Dice " + k, f3(v)));
    col.put("foreground IoU", f3(s.foregroundIoU()));
    col.put("pixel accuracy", f3(s.pixelAccuracy()));
    col.put("boundary F (" + s.boundaryTolerancePx() + " px)", f3(s.boundaryF()));
  }

  /** A markdown table, one column per refine mode. */
  private static void table(StringBuilder md, List<Mode> modes, Function<String, Map<String, String>> column) {
    List<Map<String, String>> columns = modes.stream().map(m -> column.apply(m.name())).toList();
    md.append("| figure |");
    modes.forEach(m -> md.append(" refine ").append(m.name()).append(" |"));
    md.append("\n|---|");
    modes.forEach(m -> md.append("---|"));
    md.append('\n');
    for (String row : columns.get(0).keySet()) {
      md.append("| ").append(row).append(" |");
      for (Map<String, String> c : columns) {
        md.append(' ').append(c.getOrDefault(row, "")).append(" |");
      }
      md.append('\n');
    }
  }

  private static String stagesText(Map<String, Double> stages) {
    List<String> parts = new ArrayList<>();
    stages.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s %.1f", k, v)));
    return String.join(", ", parts);
  }

  private static String f3(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static List<String> sheetTitles(List<Mode> modes) {
    List<String> titles = new ArrayList<>(List.of("input", "truth"));
    for (Mode m : modes) {
      titles.add(m.name().equals("crf") ? "refined (crf)" : "prediction (refine off)");
    }
    return titles;
  }

  /** input | truth | one prediction per mode, masks in the scored classes so truth and prediction compare. */
  private static ContactSheet.Row sheetRow(
      String caption, RgbImage frame, LabelMap truth, List<Mode> modes, Map<String, LabelMap> predictions,
      GroundTruthFormat format, ModelMetadata meta) {
    int background = format.scoredBackground(meta.backgroundClass());
    List<RgbImage> tiles = new ArrayList<>();
    tiles.add(frame);
    tiles.add(Overlay.colourise(truth, background));
    for (Mode m : modes) {
      LabelMap p = predictions.get(m.name());
      tiles.add(p == null ? null : Overlay.colourise(format.prediction(p, meta.backgroundClass()), background));
    }
    return new ContactSheet.Row(caption, tiles);
  }

  /** Up to n items spread evenly over the list. */
  private static Set<Long> pick(List<Long> items, int n) {
    Set<Long> out = new TreeSet<>();
    if (n <= 0 || items.isEmpty()) {
      return out;
    }
    for (int k = 0; k < n; k++) {
      out.add(items.get((int) Math.min(items.size() - 1, Math.round((k + 0.5) * items.size() / n - 0.5))));
    }
    return out;
  }

  private static List<String> deadLetterReasons(List<DeadLetter> deadLetters) {
    return deadLetters.stream().limit(10).map(d -> d.getStage() + ": " + d.getErrorClass() + ": " + d.getErrorMessage()).toList();
  }
}
