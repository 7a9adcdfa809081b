package org.segstream.ingest;

/** The ingest cannot go on: the message names the input and what to do about it. */
public final class IngestException extends RuntimeException {
  public IngestException(String message) {
    super(message);
  }

  public IngestException(String message, Throwable cause) {
    super(message, cause);
  }
}
