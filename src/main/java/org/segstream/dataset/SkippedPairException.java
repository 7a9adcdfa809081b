package org.segstream.dataset;

/** A pair the reader leaves out, with the reason that gets logged and counted. */
public final class SkippedPairException extends Exception {
  public SkippedPairException(String message) {
    super(message);
  }
}
