package org.segstream.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code segstream-model.json}, the half of the model contract that is not the SavedModel: what the
 * model is, how to feed it, how it was trained and how well it scored. The trainer writes it, the
 * model loader reads it.
 *
 * @param framesPerSecond measured at batch 8 on {@code machine}, at {@code inputWidth × inputHeight}
 * @param macsPerFrame multiply-adds of one forward pass at the input size
 * @param command the command line that made the model
 * @param createdAt ISO-8601 instant
 * @param aspectTrueInput how to size a frame keeping its aspect ratio; null for models that take every
 *     frame stretched to {@code inputWidth × inputHeight} (every model before it existed)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelMetadata(
    String name,
    String version,
    String architecture,
    int inputHeight,
    int inputWidth,
    List<String> classNames,
    int backgroundClass,
    String preprocessing,
    long parameters,
    long macsPerFrame,
    double framesPerSecond,
    String machine,
    TrainedOn trainedOn,
    Metrics metrics,
    String command,
    String createdAt,
    AspectTrueInput aspectTrueInput) {

  public static final String FILE_NAME = "segstream-model.json";
  /** RGB scaled to [0, 1], the only preprocessing the contract knows. */
  public static final String RGB01 = "rgb01";

  // Configured once, never changed. NaN scores (a class absent from the validation set) are
  // written as the string "NaN", which Jackson reads back as NaN.
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  public ModelMetadata {
    classNames = List.copyOf(classNames);
    if (classNames.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one class name");
    }
    if (backgroundClass < 0 || backgroundClass >= classNames.size()) {
      throw new IllegalArgumentException(
          "backgroundClass " + backgroundClass + " is not an index into " + classNames);
    }
    if (inputHeight <= 0 || inputWidth <= 0) {
      throw new IllegalArgumentException("input size must be positive, got " + inputWidth + "x" + inputHeight);
    }
  }

  /**
   * @param dataset e.g. "synthetic" or "oxford-iiit-pet"
   * @param pairCount image/mask pairs used for training
   * @param splitSeed the seed of the validation split
   * @param validationNames the held-out pairs, so {@code eval} scores exactly them
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record TrainedOn(String dataset, int pairCount, long splitSeed, List<String> validationNames) {
    public TrainedOn {
      validationNames = validationNames == null ? List.of() : List.copyOf(validationNames);
    }
  }

  /** Scores on the validation set; {@code perClassIoU} and {@code dice} in class order, NaN when a class never occurs. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Metrics(
      double pixelAccuracy,
      List<Double> perClassIoU,
      double mIoU,
      List<Double> dice,
      double foregroundIoU,
      double boundaryF) {
    public Metrics {
      perClassIoU = perClassIoU == null ? List.of() : List.copyOf(perClassIoU);
      dice = dice == null ? List.of() : List.copyOf(dice);
    }
  }

  /** The model without aspect-true input: every frame stretched to its fixed input size. */
  public ModelMetadata(String name, String version, String architecture, int inputHeight, int inputWidth,
      List<String> classNames, int backgroundClass, String preprocessing, long parameters, long macsPerFrame,
      double framesPerSecond, String machine, TrainedOn trainedOn, Metrics metrics, String command,
      String createdAt) {
    this(name, version, architecture, inputHeight, inputWidth, classNames, backgroundClass, preprocessing, parameters,
        macsPerFrame, framesPerSecond, machine, trainedOn, metrics, command, createdAt, null);
  }

  /**
   * A fully convolutional model's input rule: the frame's long side becomes {@code longSide}, the short
   * side keeps the aspect ratio, rounded to a multiple of {@code multiple} (what the strides need).
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record AspectTrueInput(int longSide, int multiple) {
    public AspectTrueInput {
      if (multiple <= 0 || longSide <= 0 || longSide % multiple != 0) {
        throw new IllegalArgumentException("aspectTrueInput needs a positive longSide that is a multiple of a positive"
            + " multiple, got longSide " + longSide + ", multiple " + multiple);
      }
    }
  }

  /** The input size for a frame of {@code frameWidth × frameHeight}: see {@link InputGeometry}. */
  public InputGeometry.Size inputSizeFor(int frameWidth, int frameHeight) {
    return InputGeometry.of(this).sizeFor(frameWidth, frameHeight);
  }

  public int classCount() {
    return classNames.size();
  }

  public static ModelMetadata read(Path file) throws IOException {
    return MAPPER.readValue(file.toFile(), ModelMetadata.class);
  }

  public void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    MAPPER.writeValue(file.toFile(), this);
  }

  public String toJson() {
    try {
      return MAPPER.writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise model metadata", e);
    }
  }

}
