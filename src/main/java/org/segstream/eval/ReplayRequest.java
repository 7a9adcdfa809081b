package org.segstream.eval;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.segstream.dataset.GroundTruthFormat;
import org.segstream.ingest.FileSource;
import org.segstream.ingest.FrameSource;
import org.segstream.ingest.ImageSequenceSource;
import org.segstream.ingest.Pacing;
import org.segstream.kafka.ValueFormatChoice;
import org.segstream.model.ModelSettings;

/**
 * A replay evaluation: a video or a directory of numbered frames replayed through Kafka once per refine mode and
 * scored against numbered ground-truth masks. Built with {@link #builder}: the input, its truth, the model and the
 * modes are required; everything else has the command line's defaults.
 *
 * @param bootstrapServers the cluster to use; with {@code kafkaConfig} also null, an embedded broker is started
 * @param valueFormat how frames and results are framed on the wire
 * @param gtStart the number in the name of frame 0's mask; null: the first frame's number of a frame directory, else 0
 * @param instanceTruth numbered maps of the true object ids (numbered as the masks), or null: no identity scores
 * @param progress where status lines and progress bars go
 */
public record ReplayRequest(
    Path input,
    Path groundTruth,
    Path modelDirectory,
    List<ModeSettings> modes,
    ModelSettings modelOptions,
    GroundTruthFormat gtFormat,
    Pacing pacing,
    double frameRate,
    Long gtStart,
    int boundaryTolerancePx,
    int contactFrames,
    Duration timeout,
    Double minMeanIoU,
    String bootstrapServers,
    Path kafkaConfig,
    ValueFormatChoice valueFormat,
    String command,
    PrintWriter progress,
    Path instanceTruth) {

  public static Builder builder(Path input, Path groundTruth, Path modelDirectory, List<ModeSettings> modes) {
    return new Builder(input, groundTruth, modelDirectory, modes);
  }

  /** The input as a frame source: a frame directory at {@link #frameRate}, else a video file. */
  public FrameSource source() {
    return Files.isDirectory(input) ? new ImageSequenceSource(input, frameRate) : new FileSource(input);
  }

  /** The mode whose predictions the overlay video shows: the last one run. */
  public String overlayMode() {
    return modes.get(modes.size() - 1).name();
  }

  /** Required settings in the constructor, optional ones by setter, all checked by {@link #build}. */
  public static final class Builder {
    private final Path input;
    private final Path groundTruth;
    private final Path modelDirectory;
    private final List<ModeSettings> modes;
    private ModelSettings modelOptions = ModelSettings.DEFAULT;
    private GroundTruthFormat gtFormat = GroundTruthFormat.BINARY;
    private Pacing pacing = Pacing.nativeRate();
    private double frameRate = ImageSequenceSource.DEFAULT_FRAME_RATE;
    private Long gtStart;
    private int boundaryTolerancePx = 2;
    private int contactFrames = 4;
    private Duration timeout = Duration.ofMinutes(10);
    private Double minMeanIoU;
    private String bootstrapServers;
    private Path kafkaConfig;
    private ValueFormatChoice valueFormat = ValueFormatChoice.SINGLE_OBJECT;
    private String command = "";
    private PrintWriter progress = new PrintWriter(Writer.nullWriter());
    private Path instanceTruth;

    private Builder(Path input, Path groundTruth, Path modelDirectory, List<ModeSettings> modes) {
      this.input = input;
      this.groundTruth = groundTruth;
      this.modelDirectory = modelDirectory;
      this.modes = modes;
    }

    public Builder modelOptions(ModelSettings v) {
      modelOptions = v;
      return this;
    }

    public Builder gtFormat(GroundTruthFormat v) {
      gtFormat = v;
      return this;
    }

    public Builder pacing(Pacing v) {
      pacing = v;
      return this;
    }

    public Builder frameRate(double v) {
      frameRate = v;
      return this;
    }

    public Builder gtStart(Long v) {
      gtStart = v;
      return this;
    }

    public Builder boundaryTolerancePx(int v) {
      boundaryTolerancePx = v;
      return this;
    }

    public Builder contactFrames(int v) {
      contactFrames = v;
      return this;
    }

    public Builder timeout(Duration v) {
      timeout = v;
      return this;
    }

    /** Numbered maps of the true object ids (pixel = id, 0 = none), or null (the default): no identity scores. */
    public Builder instanceTruth(Path v) {
      instanceTruth = v;
      return this;
    }

    public Builder minMeanIoU(Double v) {
      minMeanIoU = v;
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
    public ReplayRequest build() {
      Objects.requireNonNull(input, "input");
      Objects.requireNonNull(groundTruth, "groundTruth");
      Objects.requireNonNull(modelDirectory, "modelDirectory");
      Objects.requireNonNull(modelOptions, "modelOptions");
      Objects.requireNonNull(gtFormat, "gtFormat");
      Objects.requireNonNull(pacing, "pacing");
      Objects.requireNonNull(command, "command");
      Objects.requireNonNull(progress, "progress");
      checkModes(modes);
      if (!(frameRate > 0) || Double.isInfinite(frameRate)) {
        throw new IllegalArgumentException("the frame rate must be a positive number of frames/s, got " + frameRate);
      }
      checkCounts(boundaryTolerancePx, contactFrames);
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the replay timeout must be positive, got " + timeout);
      }
      return new ReplayRequest(input, groundTruth, modelDirectory, List.copyOf(modes), modelOptions, gtFormat, pacing, frameRate,
          gtStart, boundaryTolerancePx, contactFrames, timeout, minMeanIoU, bootstrapServers, kafkaConfig, valueFormat, command,
          progress, instanceTruth);
    }
  }

  /** At least one mode, no name twice (modes are reported by name). */
  static void checkModes(List<ModeSettings> modes) {
    if (modes == null || modes.isEmpty()) {
      throw new IllegalArgumentException("an evaluation needs at least one refine mode");
    }
    if (new HashSet<>(modes.stream().map(ModeSettings::name).toList()).size() != modes.size()) {
      throw new IllegalArgumentException("refine modes must have distinct names, got " + modes.stream().map(ModeSettings::name).toList());
    }
  }

  static void checkCounts(int boundaryTolerancePx, int contactFrames) {
    if (boundaryTolerancePx < 0) {
      throw new IllegalArgumentException("the boundary tolerance must be at least 0 px, got " + boundaryTolerancePx);
    }
    if (contactFrames < 0) {
      throw new IllegalArgumentException("the contact sheet needs at least 0 rows, got " + contactFrames);
    }
  }
}
