package org.segstream.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.segstream.config.UsageException;
import org.segstream.model.ModelMetadata;
import org.segstream.train.Architecture;
import org.segstream.train.ProgressBar;
import org.segstream.train.SyntheticTrainer;
import org.segstream.train.TrainOptions;
import org.segstream.train.TrainResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code segstream train}: trains a U-Net and writes a model directory (SavedModel + metadata). */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train a U-Net and export it as a SavedModel with segstream-model.json.")
final class TrainCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--synthetic", description = "Train on synthetic labelled scenes (object, background, border).")
  boolean synthetic;

  @Option(names = "--arch", defaultValue = "unet-small", paramLabel = "NAME",
      description = "Architecture: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      completionCandidates = ArchitectureNames.class)
  String arch;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Model directory to write (an existing model directory is replaced).")
  Path out;

  @Option(names = "--steps", defaultValue = "400", description = "Optimiser steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--max-seconds", defaultValue = "0", paramLabel = "S",
      description = "Stop the training loop after this many seconds; 0 = no limit (default: ${DEFAULT-VALUE}).")
  double maxSeconds;

  @Option(names = "--batch-size", defaultValue = "8", description = "Images per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--learning-rate", defaultValue = "0.02", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  float learningRate;

  @Option(names = "--input-size", defaultValue = "128", paramLabel = "N|WxH",
      description = "Model input size, square N or WxH (default: ${DEFAULT-VALUE}).")
  String inputSize;

  @Option(names = "--seed", defaultValue = "1337", description = "Seed of weights and scenes (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threads", defaultValue = "2", description = "TensorFlow intra-op threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--validation-count", defaultValue = "32",
      description = "Held-out synthetic scenes scored into the metadata (default: ${DEFAULT-VALUE}).")
  int validationCount;

  @Option(names = "--bench-seconds", defaultValue = "3", paramLabel = "S",
      description = "How long to measure frames/s at batch 8 for the metadata (default: ${DEFAULT-VALUE}).")
  double benchSeconds;

  @Option(names = "--model-name", description = "Model name in the metadata (default: synthetic-<arch>).")
  String name;

  @Option(names = "--model-version", defaultValue = "1", description = "Model version in the metadata (default: ${DEFAULT-VALUE}).")
  String version;

  static final class ArchitectureNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Architecture.ids().iterator();
    }
  }

  @Override
  public void run() {
    if (!synthetic) {
      throw new UsageException("training on image folders is not implemented yet: pass --synthetic");
    }
    int[] size = parseSize(inputSize);
    List<String> args = spec.root().commandLine().getParseResult().originalArgs();
    TrainOptions options = TrainOptions.builder(out)
        .architecture(Architecture.parse(arch))
        .inputSize(size[0], size[1])
        .steps(steps)
        .maxSeconds(maxSeconds)
        .batchSize(batchSize)
        .learningRate(learningRate)
        .seed(seed)
        .threads(threads)
        .validationCount(validationCount)
        .benchSeconds(benchSeconds)
        .name(name)
        .version(version)
        .command("segstream " + String.join(" ", args))
        .build();
    PrintWriter err = spec.commandLine().getErr();
    TrainResult result = SyntheticTrainer.train(options, new ProgressBar(err));
    ModelMetadata m = result.metadata();
    PrintWriter o = spec.commandLine().getOut();
    List<Float> losses = result.losses();
    o.printf("model      %s%n", result.modelDir());
    o.printf("trained    %d steps x %d images at %dx%d in %.1f s, %.1f images/s; loss %.4f -> %.4f%n",
        result.steps(), batchSize, m.inputWidth(), m.inputHeight(), result.trainingTime().toMillis() / 1000.0,
        result.imagesPerSecond(), losses.get(0), losses.get(losses.size() - 1));
    ModelMetadata.Metrics s = m.metrics();
    o.printf("validation pixel accuracy %.4f, mIoU %.4f, foreground IoU %.4f, boundary F %.4f (%d scenes)%n",
        s.pixelAccuracy(), s.mIoU(), s.foregroundIoU(), s.boundaryF(), m.trainedOn().validationNames().size());
    o.printf("size       %,d parameters, %,d multiply-adds per frame, %.1f frames/s at batch 8%n",
        m.parameters(), m.macsPerFrame(), m.framesPerSecond());
  }

  static int[] parseSize(String text) {
    String[] parts = text.toLowerCase(java.util.Locale.ROOT).split("x");
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
