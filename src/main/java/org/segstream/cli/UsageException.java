package org.segstream.cli;

/** The user asked for something that cannot work as given (exit code 2): the message says what to do. */
public class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
