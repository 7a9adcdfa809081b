package org.segstream.train;

import java.nio.file.Path;
import java.util.Objects;
import org.segstream.config.InvalidSettingException;
import org.segstream.segment.SegmenterSettings;
import org.segstream.model.InputGeometry;
import org.segstream.model.ModelMetadata;

/**
 * How to train one model. Build with {@link #builder(Path)}: the output directory is required, the
 * rest have defaults suited to synthetic scenes; {@link Builder#build()} validates.
 *
 * @param steps optimiser steps; training stops at this count or at {@code maxSeconds}, first reached
 * @param maxSeconds wall-clock budget of the training loop, 0 for none
 * @param bnMomentum batch-norm moving-statistics momentum during training
 * @param calibrationBatches batches over which the batch-norm statistics are re-averaged after
 *     training, with the weights fixed (0 keeps the moving averages)
 * @param validationCount held-out examples scored after training (synthetic data only)
 * @param benchSeconds how long to measure frames/s at batch 8 for the metadata
 * @param epochs passes over the training pairs (replaces {@code steps} when positive; needs a dataset of known size)
 * @param schedule how the learning rate falls from {@code learningRate} as training progresses
 * @param checkpointDir where checkpoints go; null for none (then {@code resume} is refused)
 * @param checkpointEvery epochs between checkpoints (one is also written when the time budget ends)
 * @param resume continue from the newest checkpoint in {@code checkpointDir}
 * @param flipAverage export a model that averages the image's and its mirror image's probabilities
 * @param encoderFrozenShare the share of the run (by steps or time budget, whichever is further) during
 *     which a pretrained encoder stays as loaded and only the decoder learns; fine-tuning follows
 * @param pretrained a folder of pretrained encoder weights; null for the weights inside the jar
 * @param scoring how the exported model is run to score the held-out pairs for its metadata (the
 *     processor's defaults, so {@code eval} reproduces the figures); null for no refinement
 * @param aspectTrueInput train aspect-true ({@link TrainGeometry}) and write this rule into the metadata (the
 *     input size is then a 16:9 frame's under the rule); null to train stretched at {@code inputWidth × inputHeight}
 */
public record TrainSettings(
    Architecture architecture,
    int inputWidth,
    int inputHeight,
    int steps,
    double maxSeconds,
    int batchSize,
    float learningRate,
    long seed,
    int threads,
    Path out,
    String name,
    String version,
    String command,
    int validationCount,
    double benchSeconds,
    float bnMomentum,
    int calibrationBatches,
    int epochs,
    Schedule schedule,
    Loss loss,
    Path checkpointDir,
    int checkpointEvery,
    boolean resume,
    boolean flipAverage,
    double encoderFrozenShare,
    Path pretrained,
    SegmenterSettings scoring,
    ModelMetadata.AspectTrueInput aspectTrueInput) {

  public TrainSettings {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(out, "out");
    require(inputWidth >= 8 && inputHeight >= 8, "input-size",
        "the input size must be at least 8, got " + inputWidth + "x" + inputHeight);
    require(steps >= 1, "steps", "the number of training steps must be at least 1, got " + steps);
    require(maxSeconds >= 0, "max-seconds", "the time limit must be 0 s (no limit) or positive, got " + maxSeconds);
    require(batchSize >= 1, "batch-size", "the batch size must be at least 1, got " + batchSize);
    require(learningRate > 0 && learningRate < 1, "learning-rate", "the learning rate must be in (0, 1), got " + learningRate);
    require(threads >= 1, "threads", "the thread count must be at least 1, got " + threads);
    require(validationCount >= 1, "validation-count", "validation needs at least one example, got " + validationCount);
    require(benchSeconds > 0, "bench-seconds", "the frames/s measurement needs a positive duration, got " + benchSeconds);
    require(bnMomentum >= 0 && bnMomentum < 1, null, "batch-norm momentum must be in [0, 1), got " + bnMomentum);
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(loss, "loss");
    require(epochs >= 0, "epochs", "the number of epochs must be 0 (count steps instead) or positive, got " + epochs);
    require(!resume || checkpointDir != null, "checkpoint-dir", "resuming needs a checkpoint directory");
    require(checkpointEvery >= 1, "checkpoint-every", "checkpoints are written every 1 or more epochs, got " + checkpointEvery);
    require(calibrationBatches >= 0, "calibration-batches", "calibration batches must be 0 or more, got " + calibrationBatches);
    require(name != null && !name.isBlank(), "model-name", "the model's name must not be empty");
    require(version != null && !version.isBlank(), "model-version", "the model's version must not be empty");
    require(encoderFrozenShare >= 0 && encoderFrozenShare <= 1, "encoder-frozen-share",
        "the share of the run with the encoder frozen must be in [0, 1], got " + encoderFrozenShare);
    require(command != null, null, "command must be given (the command line, for the metadata)");
    require(aspectTrueInput == null || TrainGeometry.nominal(aspectTrueInput).equals(
        new InputGeometry.Size(inputWidth, inputHeight)), "input-long-side",
        "an aspect-true model's input size is a 16:9 frame's under its rule, got " + inputWidth + "x" + inputHeight);
  }

  /** {@code <out>.checkpoint} beside the output: where the command line keeps checkpoints by default. */
  public static Path defaultCheckpointDir(Path out) {
    Path o = out.toAbsolutePath().normalize();
    return o.resolveSibling(o.getFileName() + ".checkpoint");
  }

  public static Builder builder(Path out) {
    return new Builder(out);
  }

  private static void require(boolean condition, String setting, String message) {
    if (!condition) {
      throw new InvalidSettingException(setting, message);
    }
  }

  /** Optional settings with defaults; {@link #build()} validates them all at once. */
  public static final class Builder {
    private final Path out;
    private Architecture architecture = Architecture.UNET_SMALL;
    private int inputWidth = 128;
    private int inputHeight = 128;
    private int steps = 400;
    private double maxSeconds;
    private int batchSize = 8;
    private float learningRate = 0.02f;
    private long seed = 1337;
    private int threads = 2;
    private String name;
    private String version = "1";
    private String command = "org.segstream.train.Trainer (Java API)";
    private int validationCount = 32;
    private double benchSeconds = 3;
    private float bnMomentum = 0.9f;
    private int calibrationBatches = 10;
    private int epochs;
    private Schedule schedule = Schedule.CONSTANT;
    private Loss loss = Loss.CE;
    private Path checkpointDir;
    private int checkpointEvery = 1;
    private boolean resume;
    private boolean flipAverage;
    private double encoderFrozenShare;
    private Path pretrained;
    private SegmenterSettings scoring;
    private int inputLongSide;
    private int inputMultiple = 32;

    private Builder(Path out) {
      this.out = out;
    }

    public Builder architecture(Architecture value) {
      architecture = value;
      return this;
    }

    public Builder inputSize(int width, int height) {
      inputWidth = width;
      inputHeight = height;
      return this;
    }

    public Builder steps(int value) {
      steps = value;
      return this;
    }

    public Builder maxSeconds(double value) {
      maxSeconds = value;
      return this;
    }

    public Builder batchSize(int value) {
      batchSize = value;
      return this;
    }

    public Builder learningRate(float value) {
      learningRate = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    public Builder threads(int value) {
      threads = value;
      return this;
    }

    /** The model's name in its metadata; default "synthetic-" + architecture. */
    public Builder name(String value) {
      name = value;
      return this;
    }

    /** Names the model {@code <dataset>-<architecture>} unless a name was given. */
    Builder defaultNameFor(String dataset) {
      if (name == null) {
        name = dataset + "-" + (architecture == null ? "model" : architecture.id());
      }
      return this;
    }

    public Builder version(String value) {
      version = value;
      return this;
    }

    public Builder command(String value) {
      command = value;
      return this;
    }

    public Builder validationCount(int value) {
      validationCount = value;
      return this;
    }

    public Builder benchSeconds(double value) {
      benchSeconds = value;
      return this;
    }

    public Builder bnMomentum(float value) {
      bnMomentum = value;
      return this;
    }

    public Builder calibrationBatches(int value) {
      calibrationBatches = value;
      return this;
    }

    public Builder epochs(int value) {
      epochs = value;
      return this;
    }

    public Builder schedule(Schedule value) {
      schedule = value;
      return this;
    }

    public Builder loss(Loss value) {
      loss = value;
      return this;
    }

    public Builder checkpointDir(Path value) {
      checkpointDir = value;
      return this;
    }

    public Builder checkpointEvery(int value) {
      checkpointEvery = value;
      return this;
    }

    public Builder resume(boolean value) {
      resume = value;
      return this;
    }

    public Builder flipAverage(boolean value) {
      flipAverage = value;
      return this;
    }

    public Builder encoderFrozenShare(double value) {
      encoderFrozenShare = value;
      return this;
    }

    public Builder pretrained(Path value) {
      pretrained = value;
      return this;
    }

    public Builder scoring(SegmenterSettings value) {
      scoring = value;
      return this;
    }

    /**
     * Trains aspect-true: frames keep their aspect ratio, the long side {@code longSide}, the short side a
     * multiple of {@code multiple}; 0 for the stretched {@link #inputSize}.
     */
    public Builder aspectTrueInput(int longSide, int multiple) {
      inputLongSide = longSide;
      inputMultiple = multiple;
      return this;
    }

    public TrainSettings build() {
      ModelMetadata.AspectTrueInput aspectTrue = null;
      int width = inputWidth;
      int height = inputHeight;
      if (inputLongSide != 0) {
        require(inputMultiple >= 1, "input-multiple", "the input multiple must be at least 1, got " + inputMultiple);
        require(inputLongSide >= 8 && inputLongSide % inputMultiple == 0, "input-long-side",
            "the input's long side must be at least 8 and a multiple of --input-multiple " + inputMultiple + ", got "
                + inputLongSide);
        aspectTrue = new ModelMetadata.AspectTrueInput(inputLongSide, inputMultiple);
        InputGeometry.Size nominal = TrainGeometry.nominal(aspectTrue);
        width = nominal.width();
        height = nominal.height();
      }
      String modelName = name != null ? name : "synthetic-" + (architecture == null ? "model" : architecture.id());
      return new TrainSettings(architecture, width, height, steps, maxSeconds, batchSize, learningRate, seed,
          threads, out, modelName, version, command, validationCount, benchSeconds, bnMomentum, calibrationBatches,
          epochs, schedule, loss, checkpointDir, checkpointEvery, resume, flipAverage,
          encoderFrozenShare, pretrained, scoring, aspectTrue);
    }
  }
}
