package org.segstream.dataset;

/**
 * A mask pixel whose value its {@link GroundTruthFormat} does not allow. The message names the value, the pixel and a
 * format that might fit; a reader with its own wording (a training layout's skip reason) takes the fields.
 */
public final class MaskValueException extends IllegalArgumentException {
  private final int value;
  private final int x;
  private final int y;

  public MaskValueException(String message, int value, int x, int y) {
    super(message);
    this.value = value;
    this.x = x;
    this.y = y;
  }

  public int value() {
    return value;
  }

  public int x() {
    return x;
  }

  public int y() {
    return y;
  }
}
