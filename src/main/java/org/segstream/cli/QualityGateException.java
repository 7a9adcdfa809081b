package org.segstream.cli;

/** A quality gate such as {@code eval --min-miou} failed (exit code 3). */
public class QualityGateException extends RuntimeException {
  public QualityGateException(String message) {
    super(message);
  }
}
