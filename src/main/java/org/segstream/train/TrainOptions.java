package org.segstream.train;

import java.nio.file.Path;
import java.util.Objects;
import org.segstream.config.UsageException;

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
 */
public record TrainOptions(
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
    boolean flipAverage) {

  public TrainOptions {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(out, "out");
    require(inputWidth >= 8 && inputHeight >= 8, "--input-size must be at least 8, got " + inputWidth + "x" + inputHeight);
    require(steps >= 1, "--steps must be at least 1, got " + steps);
    require(maxSeconds >= 0, "--max-seconds must be 0 (no limit) or positive, got " + maxSeconds);
    require(batchSize >= 1, "--batch-size must be at least 1, got " + batchSize);
    require(learningRate > 0 && learningRate < 1, "--learning-rate must be in (0, 1), got " + learningRate);
    require(threads >= 1, "--threads must be at least 1, got " + threads);
    require(validationCount >= 1, "validation needs at least one example, got " + validationCount);
    require(benchSeconds > 0, "the frames/s measurement needs a positive duration, got " + benchSeconds);
    require(bnMomentum >= 0 && bnMomentum < 1, "batch-norm momentum must be in [0, 1), got " + bnMomentum);
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(loss, "loss");
    require(epochs >= 0, "--epochs must be 0 (use --steps) or positive, got " + epochs);
    require(!resume || checkpointDir != null, "--resume needs a checkpoint directory");
    require(checkpointEvery >= 1, "--checkpoint-every must be at least 1 epoch, got " + checkpointEvery);
    require(calibrationBatches >= 0, "calibration batches must be 0 or more, got " + calibrationBatches);
    require(name != null && !name.isBlank(), "--name must not be empty");
    require(version != null && !version.isBlank(), "--version must not be empty");
    require(command != null, "command must be given (the command line, for the metadata)");
  }

  /** {@code <out>.checkpoint} beside the output: where the command line keeps checkpoints by default. */
  public static Path defaultCheckpointDir(Path out) {
    Path o = out.toAbsolutePath().normalize();
    return o.resolveSibling(o.getFileName() + ".checkpoint");
  }

  public static Builder builder(Path out) {
    return new Builder(out);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new UsageException(message);
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

    public TrainOptions build() {
      String modelName = name != null ? name : "synthetic-" + (architecture == null ? "model" : architecture.id());
      return new TrainOptions(architecture, inputWidth, inputHeight, steps, maxSeconds, batchSize, learningRate, seed,
          threads, out, modelName, version, command, validationCount, benchSeconds, bnMomentum, calibrationBatches,
          epochs, schedule, loss, checkpointDir, checkpointEvery, resume, flipAverage);
    }
  }
}
