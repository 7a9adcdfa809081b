package org.segstream.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.segstream.config.Secrets;
import org.segstream.report.Charts;
import org.segstream.train.Architecture;
import org.segstream.train.FolderData;
import org.segstream.train.LearningCurve;
import org.segstream.train.Loss;
import org.segstream.train.Schedule;
import org.segstream.train.TrainSettings;
import org.segstream.train.TrainingJob;
import org.segstream.train.augment.Augmentations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code segstream train}: trains a U-Net and writes a model directory (SavedModel + metadata). */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a segmentation U-Net and export it as a SavedModel.",
      "Train a U-Net on a dataset folder (Oxford-IIIT Pet, or images/ + masks/ + classes.txt) or on "
        + "synthetic scenes, and export it as a SavedModel with segstream-model.json."
    })
final class TrainCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Dataset folder: images/ + annotations/trimaps/ (Oxford-IIIT Pet) or images/ + masks/ + classes.txt.")
  Path data;

  @Option(names = "--synthetic", description = "Train on synthetic labelled scenes (object, background, border).")
  boolean synthetic;

  @Option(names = "--arch", defaultValue = "unet-small", paramLabel = "NAME",
      description = "Architecture: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      completionCandidates = ArchitectureNames.class)
  String arch;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Model directory to write (an existing model directory is replaced).")
  Path out;

  @Option(names = "--epochs", defaultValue = "0",
      description = "Passes over the training pairs (--data only); 0 = use --steps (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--steps", defaultValue = "400", description = "Optimiser steps when --epochs is 0 (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--max-seconds", defaultValue = "0", paramLabel = "S",
      description = "Training time budget in seconds, across resumed sittings; 0 = no limit (default: ${DEFAULT-VALUE}).")
  double maxSeconds;

  @Option(names = "--batch-size", defaultValue = "8", description = "Images per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--learning-rate", defaultValue = "0.02", description = "Adam's base learning rate (default: ${DEFAULT-VALUE}).")
  float learningRate;

  @Option(names = "--schedule", defaultValue = "constant", paramLabel = "constant|cosine|step",
      description = "Learning-rate schedule over the steps or the time budget (default: ${DEFAULT-VALUE}).")
  String schedule;

  @Option(names = "--loss", defaultValue = "ce", paramLabel = "ce|ce-dice",
      description = "Cross-entropy, or cross-entropy plus soft Dice (default: ${DEFAULT-VALUE}).")
  String loss;

  @Option(names = "--augment", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Random flips, scale/crop and colour jitter of the training pairs (--data; default: on).")
  boolean augment;

  @Option(names = "--augmentations", defaultValue = "basic", paramLabel = "LIST",
      description = "Augmentations on top of the basic flip, crop and jitter, a comma list of basic, zoom-out (the pet "
          + "small in a larger frame), paste (the pet on other backgrounds), camera (motion blur, JPEG, noise) or all "
          + "(--data; default: ${DEFAULT-VALUE}).")
  String augmentations;

  @Option(names = "--backgrounds", split = ",", paramLabel = "DIR",
      description = "DAVIS sequence folders (<davis>/JPEGImages/480p/<sequence>) whose frames outside their masks "
          + "serve as backgrounds for zoom-out and paste, beside other pairs' backgrounds and textures (never libby).")
  List<Path> backgrounds = new ArrayList<>();

  @Option(names = "--input-long-side", paramLabel = "N",
      description = "Train aspect-true: frames keep their aspect ratio with this long side (instead of --input-size); "
          + "batches take the sizes of 16:9, 4:3, 1:1, 3:4 and 9:16 frames.")
  Integer inputLongSide;

  @Option(names = "--input-multiple", defaultValue = "32", paramLabel = "M",
      description = "With --input-long-side: the short side is rounded to a multiple of M (default: ${DEFAULT-VALUE}).")
  int inputMultiple;

  @Option(names = "--balanced", description = "Draw breeds (name without its trailing _N) uniformly, then a pair of the breed.")
  boolean balanced;

  @Option(names = "--input-size", paramLabel = "N|WxH",
      description = "Model input size, square N or WxH (default: 160 with --data, 128 with --synthetic).")
  String inputSize;

  @Option(names = "--seed", defaultValue = "1337", description = "Seed of weights, sampling and augmentation (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--split-seed", defaultValue = "1337", description = "Seed of the validation split (default: ${DEFAULT-VALUE}).")
  long splitSeed;

  @Option(names = "--threads", defaultValue = "2", description = "TensorFlow intra-op threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--validation-count", paramLabel = "N",
      description = "Held-out pairs (default: 15%% of the pairs with --data, 32 scenes with --synthetic).")
  Integer validationCount;

  @Option(names = "--validation-fraction", paramLabel = "F",
      description = "Held-out share of the pairs, when --validation-count is not given (default: 0.15).")
  Double validationFraction;

  @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "Checkpoint directory (default: <out>.checkpoint).")
  Path checkpointDir;

  @Option(names = "--checkpoint-every", defaultValue = "1", paramLabel = "EPOCHS",
      description = "Epochs between checkpoints; one is also written when the time budget ends (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(names = "--resume", description = "Continue from the newest checkpoint (same settings as the interrupted run).")
  boolean resume;

  @Option(names = "--flip-average",
      description = "Export a model that averages the probabilities of each frame and its mirror image (2x the cost).")
  boolean flipAverage;

  @Option(names = "--encoder-frozen-share", defaultValue = "0.3", paramLabel = "SHARE",
      description = "With a pretrained encoder (mobilenet-v2-unet*): the share of the run in which only the decoder"
          + " learns before the whole network is fine-tuned (default: ${DEFAULT-VALUE}).")
  double encoderFrozenShare;

  @Option(names = "--pretrained", paramLabel = "DIR",
      description = "A folder with manifest.json and weights.bin of MobileNetV2 weights (default: the ImageNet weights"
          + " inside the jar).")
  Path pretrained;

  @Option(names = "--bench-seconds", defaultValue = "3", paramLabel = "S",
      description = "How long to measure frames/s at batch 8 for the metadata (default: ${DEFAULT-VALUE}).")
  double benchSeconds;

  @Option(names = "--calibration-batches", defaultValue = "10",
      description = "Batches that re-average the batch-norm statistics after training (default: ${DEFAULT-VALUE}).")
  int calibrationBatches;

  @Option(names = "--model-name", description = "Model name in the metadata (default: <dataset>-<arch>).")
  String name;

  @Option(names = "--model-version", defaultValue = "1", description = "Model version in the metadata (default: ${DEFAULT-VALUE}).")
  String version;

  @Option(names = "--log-progress", description = "Print progress as separate lines (for log files) instead of redrawing one line.")
  boolean logProgress;

  static final class ArchitectureNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Architecture.ids().iterator();
    }
  }

  @Override
  public void run() {
    if (synthetic == (data != null)) {
      throw new UsageException("pass exactly one of --data DIR (a dataset folder) and --synthetic");
    }
    if (inputLongSide != null && inputSize != null) {
      throw new UsageException("pass one of --input-size (stretched) and --input-long-side (aspect-true), not both");
    }
    int[] size = parseSize(inputSize != null ? inputSize : data != null ? "160" : "128");
    Architecture architecture = Architecture.parse(arch);
    TrainSettings.Builder settings = settings(architecture, size);
    if (inputLongSide != null) {
      settings.aspectTrueInput(inputLongSide, inputMultiple);
      TrainSettings checked = settings.build(); // validates the rule and gives the nominal (16:9) size
      size = new int[] {checked.inputWidth(), checked.inputHeight()};
    }
    if (synthetic && (!augmentations.equals("basic") || !backgrounds.isEmpty())) {
      throw new UsageException("--augmentations and --backgrounds need --data; synthetic scenes are generated as they are");
    }
    if (synthetic && epochs > 0) {
      throw new UsageException("--epochs needs --data; synthetic scenes are endless: use --steps");
    }
    TrainingJob.Source source = synthetic
        ? new TrainingJob.Synthetic(seed, validationCount == null ? 32 : validationCount)
        : new TrainingJob.Folder(data, new FolderData.Settings(size[0], size[1],
            validationCount == null ? 0 : validationCount, validationFraction == null ? 0.15 : validationFraction,
            splitSeed, seed, augment, balanced, threads, inputLongSide == null ? 0 : inputLongSide, inputMultiple,
            Augmentations.parse(augmentations), backgrounds));
    TrainingJob.Outcome outcome = TrainingJob.run(source, settings,
        spec.commandLine().getErr(), !logProgress);
    outcome.printSummary(spec.commandLine().getOut());
    drawLearningCurve(outcome.result().modelDir());
  }

  /** The training settings the flags give (the model's name defaults to the dataset's in {@link TrainingJob}). */
  private TrainSettings.Builder settings(Architecture architecture, int[] size) {
    List<String> args = spec.root().commandLine().getParseResult().originalArgs();
    return TrainSettings.builder(out)
        .architecture(architecture)
        .inputSize(size[0], size[1])
        .steps(steps)
        .epochs(epochs)
        .maxSeconds(maxSeconds)
        .batchSize(batchSize)
        .learningRate(learningRate)
        .schedule(Schedule.parse(schedule))
        .loss(Loss.parse(loss))
        .seed(seed)
        .threads(threads)
        .validationCount(validationCount == null ? 32 : Math.max(1, validationCount))
        .benchSeconds(benchSeconds)
        .calibrationBatches(calibrationBatches)
        .checkpointDir(checkpointDir != null ? checkpointDir : TrainSettings.defaultCheckpointDir(out))
        .checkpointEvery(checkpointEvery)
        .resume(resume)
        .flipAverage(flipAverage)
        .encoderFrozenShare(encoderFrozenShare)
        .pretrained(pretrained)
        .scoring(ProcessDefaults.settings())
        .name(name)
        .version(version)
        .command(TrainingRecipe.of(Secrets.maskArgs(args), dataRoot()));
  }

  /** {@code learning-curve.png} beside the model's {@code learning-curve.csv}: the held-out IoUs and the loss by step. */
  private void drawLearningCurve(Path modelDir) {
    Path csv = modelDir.resolve(LearningCurve.FILE_NAME);
    if (!Files.isRegularFile(csv)) {
      return;
    }
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true"); // drawn off-screen; there may be no display
    }
    try {
      LearningCurve.Rows curve = LearningCurve.read(csv);
      List<String> columns = curve.columns();
      List<double[]> rows = curve.rows();
      double[] steps = rows.stream().mapToDouble(r -> r[0]).toArray();
      List<Charts.Series> series = new ArrayList<>();
      for (int c = 2; c < columns.size(); c++) {
        int column = c;
        series.add(new Charts.Series(columns.get(c), steps, rows.stream().mapToDouble(r -> r[column]).toArray()));
      }
      Path png = Charts.overTime(modelDir.resolve("learning-curve.png"), "learning curve (held out at the input size)",
          "step", "IoU / loss", series);
      spec.commandLine().getOut().printf("curve      %s%n", png);
    } catch (IOException | UncheckedIOException e) {
      spec.commandLine().getErr().println("segstream: could not draw the learning curve from " + csv + ": " + e.getMessage());
    }
  }

  /** The folder holding the dataset: the recipe's paths are relative to it. */
  private Path dataRoot() {
    return data == null ? null : data.toAbsolutePath().normalize().getParent();
  }

  static int[] parseSize(String text) {
    String[] parts = text.toLowerCase(Locale.ROOT).split("x");
    try {
      if (parts.length == 1) {
        int n = Integer.parseInt(parts[0].strip());
        return new int[] {n, n};
      }
      if (parts.length == 2) {
        return new int[] {Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip())};
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--input-size '" + text + "' is not N or WxH, e.g. 128 or 160x120");
  }
}
