package org.segstream.demo;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.segstream.eval.ModeSettings;
import org.segstream.ingest.Pacing;
import org.segstream.kafka.ValueFormatChoice;
import org.segstream.model.ModelSettings;

/**
 * One demo run. Built with {@link #builder}: the output directory and the processor's mode are required; everything
 * else has the command line's defaults (a 10 s synthetic 640×360 clip of 3 objects, the synthetic-scene model
 * trained for 600 steps when none is cached, an embedded broker).
 *
 * @param input a real video to segment instead of the synthetic clip, null for the clip
 * @param modelDirectory the model to serve; null serves the synthetic-scene model (cached, else trained now)
 * @param bootstrapServers the cluster to use; with {@code kafkaConfig} also null, an embedded broker is started
 * @param valueFormat how frames and results are framed on the wire
 */
public record DemoRequest(
    Path out,
    ModeSettings mode,
    Path input,
    Path modelDirectory,
    ModelSettings modelOptions,
    int seconds,
    int width,
    int height,
    int objects,
    long seed,
    int trainSteps,
    double trainSeconds,
    Pacing pacing,
    Duration timeout,
    String bootstrapServers,
    Path kafkaConfig,
    ValueFormatChoice valueFormat,
    String command,
    PrintWriter progress) {

  public static Builder builder(Path out, ModeSettings mode) {
    return new Builder(out, mode);
  }

  /** Required settings in the constructor, optional ones by setter, all checked by {@link #build}. */
  public static final class Builder {
    private final Path out;
    private final ModeSettings mode;
    private Path input;
    private Path modelDirectory;
    private ModelSettings modelOptions = ModelSettings.DEFAULT;
    private int seconds = 10;
    private int width = 640;
    private int height = 360;
    private int objects = 3;
    private long seed = 7;
    private int trainSteps = 600;
    private double trainSeconds;
    private Pacing pacing = Pacing.nativeRate();
    private Duration timeout = Duration.ofMinutes(10);
    private String bootstrapServers;
    private Path kafkaConfig;
    private ValueFormatChoice valueFormat = ValueFormatChoice.SINGLE_OBJECT;
    private String command = "";
    private PrintWriter progress = new PrintWriter(Writer.nullWriter());

    private Builder(Path out, ModeSettings mode) {
      this.out = out;
      this.mode = mode;
    }

    /** A real video instead of the synthetic clip (no ground truth, so no accuracy). */
    public Builder input(Path v) {
      input = v;
      return this;
    }

    /** The model to serve instead of the synthetic-scene model. */
    public Builder modelDirectory(Path v) {
      modelDirectory = v;
      return this;
    }

    public Builder modelOptions(ModelSettings v) {
      modelOptions = v;
      return this;
    }

    /** The synthetic clip: its length, size, moving objects and seed. */
    public Builder clip(int seconds, int width, int height, int objects, long seed) {
      this.seconds = seconds;
      this.width = width;
      this.height = height;
      this.objects = objects;
      this.seed = seed;
      return this;
    }

    /** The synthetic-scene model's training when none is cached: optimiser steps and a wall-clock cap (0 for none). */
    public Builder training(int steps, double maxSeconds) {
      trainSteps = steps;
      trainSeconds = maxSeconds;
      return this;
    }

    public Builder pacing(Pacing v) {
      pacing = v;
      return this;
    }

    public Builder timeout(Duration v) {
      timeout = v;
      return this;
    }

    /** The cluster to use; both null (the default) starts an embedded broker. */
    public Builder cluster(String bootstrapServers, Path kafkaConfig) {
      this.bootstrapServers = bootstrapServers;
      this.kafkaConfig = kafkaConfig;
      return this;
    }

    /** How frames and results are framed on the wire (default single-object). */
    public Builder valueFormat(ValueFormatChoice v) {
      this.valueFormat = v;
      return this;
    }

    public Builder command(String v) {
      command = v;
      return this;
    }

    public Builder progress(PrintWriter v) {
      progress = v;
      return this;
    }

    /** @throws IllegalArgumentException naming the setting that cannot work */
    public DemoRequest build() {
      Objects.requireNonNull(out, "out");
      Objects.requireNonNull(mode, "mode");
      Objects.requireNonNull(modelOptions, "modelOptions");
      Objects.requireNonNull(pacing, "pacing");
      Objects.requireNonNull(command, "command");
      Objects.requireNonNull(progress, "progress");
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the demo's timeout must be positive, got " + timeout);
      }
      return new DemoRequest(out, mode, input, modelDirectory, modelOptions, seconds, width, height, objects, seed, trainSteps,
          trainSeconds, pacing, timeout, bootstrapServers, kafkaConfig, valueFormat, command, progress);
    }
  }
}
