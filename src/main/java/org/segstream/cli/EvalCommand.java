package org.segstream.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.segstream.config.Secrets;
import org.segstream.dataset.GroundTruthFormat;
import org.segstream.eval.DatasetEvaluation;
import org.segstream.eval.DatasetRequest;
import org.segstream.eval.DatasetResult;
import org.segstream.eval.EvaluationResult;
import org.segstream.eval.ModeSettings;
import org.segstream.eval.QualityGate;
import org.segstream.eval.ReplayEvaluation;
import org.segstream.eval.ReplayRequest;
import org.segstream.ingest.Pacing;
import org.segstream.model.BundledModels;
import org.segstream.report.EvaluationReport;
import org.segstream.report.WrittenReport;
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
      "Measure accuracy and latency against ground truth.",
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

  @Mixin KafkaOptions kafka;
  @Mixin ValueFormatOptions valueFormat;
  @Mixin ModelSelection modelSelection;
  @Mixin ProcessorOptions processorOptions;

  @Option(names = "--input", paramLabel = "VIDEO_OR_FRAME_DIR", description = "A video file or a directory of numbered frames to replay through Kafka.")
  Path input;

  @Option(names = "--ground-truth", paramLabel = "MASK_DIR", description = "Numbered masks of --input's frames (00000.png = frame 0).")
  Path groundTruth;

  @Option(
      names = "--gt-instances",
      paramLabel = "ID_DIR",
      description = "With --input: numbered 8-bit maps of the true object ids (pixel = id, 0 = none), numbered as --ground-truth; "
          + "adds ID switches, fragmentations and IDF1 of the tracked instances (a match is box IoU >= 0.5).")
  Path gtInstances;

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

  @Option(names = "--record-in-model", description = "Also write the figures into the model's own metadata (an"
      + " evaluations entry per data and refine mode; needs --model DIR).")
  boolean recordInModel;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    validate();
    Files.createDirectories(out);
    EvaluationResult result = input != null ? ReplayEvaluation.run(replayRequest()) : evaluateDataset();
    spec.commandLine().getErr().println("eval: writing the report into " + out);
    WrittenReport report = EvaluationReport.write(result, out);
    if (recordInModel) {
      String scored = input != null ? input.toString() : data + " (" + split + " split)";
      ModelEvaluationRecord.write(modelSelection.model, result, scored, commandLine());
      spec.commandLine().getErr().println("eval: recorded the figures in " + modelSelection.model);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.print(report.summary());
    stdout.printf("report: %s%n", report.markdown());
    stdout.flush();
    QualityGate gate = result.gate();
    if (gate != null && !gate.passed()) {
      throw new QualityGateException(String.format(Locale.ROOT, "mIoU %.4f (refine %s) is below --min-miou %s (report: %s)",
          gate.failedMeanIoU(), gate.failedMode(), minMiou, report.markdown()));
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
    if (gtInstances != null && input == null) {
      throw new UsageException("--gt-instances goes with --input: the true object ids of its frames");
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
    if (recordInModel && (modelSelection.model == null || ModelSelection.namesBundledModel(modelSelection.model))) {
      throw new UsageException("--record-in-model needs --model DIR: the bundled models inside the jar cannot be written");
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

  private List<ModeSettings> modes() {
    return switch (processorOptions.refine) {
      case off -> List.of(new ModeSettings("off", processorOptions.toSettings(false)));
      case crf -> List.of(new ModeSettings("crf", processorOptions.toSettings(true)));
      case both -> List.of(new ModeSettings("off", processorOptions.toSettings(false)), new ModeSettings("crf", processorOptions.toSettings(true)));
    };
  }

  private static GroundTruthFormat format(GtFormat f) {
    return f == null ? null : GroundTruthFormat.valueOf(f.name().toUpperCase(Locale.ROOT));
  }

  private String commandLine() {
    return "segstream " + String.join(" ", Secrets.maskArgs(spec.commandLine().getParseResult().originalArgs()));
  }

  private ReplayRequest replayRequest() {
    return ReplayRequest.builder(input, groundTruth, modelSelection.directory(BundledModels.LIVE), modes())
        .modelOptions(modelSelection.options(processorOptions.refine != ProcessorOptions.RefineMode.off))
        .gtFormat(format(gtFormat != null ? gtFormat : GtFormat.binary))
        .pacing(Pacing.parse(rate))
        .frameRate(frameRate)
        .gtStart(gtStart)
        .instanceTruth(gtInstances)
        .boundaryTolerancePx(boundaryTolerance)
        .contactFrames(contactFrames)
        .timeout(Duration.ofSeconds(timeoutSeconds))
        .minMeanIoU(minMiou)
        .cluster(kafka.bootstrapServers, kafka.kafkaConfig)
        .valueFormat(valueFormat.choice())
        .command(commandLine())
        .progress(spec.commandLine().getErr())
        .build();
  }

  private DatasetResult evaluateDataset() throws IOException {
    DatasetRequest request = DatasetRequest.builder(data, modelSelection.directory(BundledModels.LIVE), modes())
        .modelOptions(modelSelection.options(processorOptions.refine != ProcessorOptions.RefineMode.off))
        .split(split == Split.val ? DatasetRequest.Split.VAL : DatasetRequest.Split.ALL)
        .gtFormat(format(gtFormat))
        .boundaryTolerancePx(boundaryTolerance)
        .contactFrames(contactFrames)
        .minMeanIoU(minMiou)
        .command(commandLine())
        .progress(spec.commandLine().getErr())
        .build();
    try {
      return DatasetEvaluation.run(request);
    } catch (DatasetEvaluation.NoValidationNamesException e) {
      throw new UsageException(e.getMessage() + ": use --split all");
    }
  }
}
