package org.segstream.eval;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.segstream.dataset.GroundTruthFormat;
import org.segstream.model.ModelSettings;

/**
 * An image-set evaluation: a dataset folder scored straight through the processor's compute core, once per refine
 * mode, without Kafka. Built with {@link #builder}: the folder, the model and the modes are required; everything else
 * has the command line's defaults.
 *
 * @param gtFormat how the masks are read; null: the layout's own format (trimap for Oxford-IIIT Pet, index for masks/)
 * @param progress where status lines and progress bars go
 */
public record DatasetRequest(
    Path data,
    Path modelDirectory,
    List<ModeSettings> modes,
    ModelSettings modelOptions,
    Split split,
    GroundTruthFormat gtFormat,
    int boundaryTolerancePx,
    int contactFrames,
    Double minMeanIoU,
    String command,
    PrintWriter progress) {

  /** Which pairs of the set are scored. */
  public enum Split {
    /** The validation names the model records in its metadata. */
    VAL,
    /** Every pair. */
    ALL
  }

  public static Builder builder(Path data, Path modelDirectory, List<ModeSettings> modes) {
    return new Builder(data, modelDirectory, modes);
  }

  /** Required settings in the constructor, optional ones by setter, all checked by {@link #build}. */
  public static final class Builder {
    private final Path data;
    private final Path modelDirectory;
    private final List<ModeSettings> modes;
    private ModelSettings modelOptions = ModelSettings.DEFAULT;
    private Split split = Split.VAL;
    private GroundTruthFormat gtFormat;
    private int boundaryTolerancePx = 2;
    private int contactFrames = 4;
    private Double minMeanIoU;
    private String command = "";
    private PrintWriter progress = new PrintWriter(Writer.nullWriter());

    private Builder(Path data, Path modelDirectory, List<ModeSettings> modes) {
      this.data = data;
      this.modelDirectory = modelDirectory;
      this.modes = modes;
    }

    public Builder modelOptions(ModelSettings v) {
      modelOptions = v;
      return this;
    }

    public Builder split(Split v) {
      split = v;
      return this;
    }

    /** Null (the default) reads the masks in the layout's own format. */
    public Builder gtFormat(GroundTruthFormat v) {
      gtFormat = v;
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

    public Builder minMeanIoU(Double v) {
      minMeanIoU = v;
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
    public DatasetRequest build() {
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(modelDirectory, "modelDirectory");
      Objects.requireNonNull(modelOptions, "modelOptions");
      Objects.requireNonNull(split, "split");
      Objects.requireNonNull(command, "command");
      Objects.requireNonNull(progress, "progress");
      ReplayRequest.checkModes(modes);
      ReplayRequest.checkCounts(boundaryTolerancePx, contactFrames);
      return new DatasetRequest(data, modelDirectory, List.copyOf(modes), modelOptions, split, gtFormat, boundaryTolerancePx,
          contactFrames, minMeanIoU, command, progress);
    }
  }
}
