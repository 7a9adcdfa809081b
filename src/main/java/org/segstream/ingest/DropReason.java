package org.segstream.ingest;

/** Why a grabbed frame was not published. */
public enum DropReason {
  /** The queue to the publisher was full (the publisher is slower than the source). */
  QUEUE_FULL("queue full"),
  /** Sampled away by {@code --max-fps}. */
  MAX_FPS("max-fps");

  private final String label;

  DropReason(String label) {
    this.label = label;
  }

  @Override
  public String toString() {
    return label;
  }
}
