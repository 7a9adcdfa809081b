package org.segstream.model;

/**
 * The one rule that sizes a frame for a model, shared by the processor, {@code eval} and the trainer:
 * either every frame stretched to the model's fixed input size (models without {@link
 * ModelMetadata.AspectTrueInput}), or the frame's long side scaled to the model's long side and the
 * short side keeping the aspect ratio, rounded to the nearest multiple the strides need (at least
 * one multiple).
 */
public final class InputGeometry {
  /** A model input size, width × height. */
  public record Size(int width, int height) {
    public Size {
      if (width <= 0 || height <= 0) {
        throw new IllegalArgumentException("an input size must be positive, got " + width + "x" + height);
      }
    }

    @Override
    public String toString() {
      return width + "x" + height;
    }
  }

  private final Size fixed;
  private final ModelMetadata.AspectTrueInput aspectTrue;

  private InputGeometry(Size fixed, ModelMetadata.AspectTrueInput aspectTrue) {
    this.fixed = fixed;
    this.aspectTrue = aspectTrue;
  }

  public static InputGeometry of(ModelMetadata metadata) {
    return new InputGeometry(new Size(metadata.inputWidth(), metadata.inputHeight()), metadata.aspectTrueInput());
  }

  /** Every frame stretched to {@code width × height}. */
  public static InputGeometry stretched(int width, int height) {
    return new InputGeometry(new Size(width, height), null);
  }

  /** Frames keep their aspect ratio: long side {@code longSide}, short side a multiple of {@code multiple}. */
  public static InputGeometry aspectTrue(int longSide, int multiple) {
    ModelMetadata.AspectTrueInput rule = new ModelMetadata.AspectTrueInput(longSide, multiple);
    return new InputGeometry(new Size(longSide, longSide), rule);
  }

  /** True when frames keep their aspect ratio. */
  public boolean keepsAspect() {
    return aspectTrue != null;
  }

  /**
   * The rule in words, for where a model is described: {@code 128x128 (stretched)} or {@code 224x(short
   * side per aspect, multiple of 32)} (224 is the long side, whichever way the frame is turned).
   */
  public String describe() {
    if (aspectTrue == null) {
      return fixed + " (stretched)";
    }
    return aspectTrue.longSide() + "x(short side per aspect, multiple of " + aspectTrue.multiple() + ")";
  }

  @Override
  public String toString() {
    return describe();
  }

  /** The input size for a frame of {@code frameWidth × frameHeight}. */
  public Size sizeFor(int frameWidth, int frameHeight) {
    if (frameWidth <= 0 || frameHeight <= 0) {
      throw new IllegalArgumentException("a frame size must be positive, got " + frameWidth + "x" + frameHeight);
    }
    if (aspectTrue == null) {
      return fixed;
    }
    int longSide = aspectTrue.longSide();
    int multiple = aspectTrue.multiple();
    int frameLong = Math.max(frameWidth, frameHeight);
    int frameShort = Math.min(frameWidth, frameHeight);
    double exactShort = (double) longSide * frameShort / frameLong;
    int shortSide = (int) Math.max(multiple, Math.round(exactShort / multiple) * multiple);
    return frameWidth >= frameHeight ? new Size(longSide, shortSide) : new Size(shortSide, longSide);
  }
}
