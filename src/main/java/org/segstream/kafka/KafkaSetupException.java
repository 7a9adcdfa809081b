package org.segstream.kafka;

/** Kafka could not be set up: topics not created, a broker not started, a cluster not reachable. */
public final class KafkaSetupException extends RuntimeException {
  public KafkaSetupException(String message) {
    super(message);
  }

  public KafkaSetupException(String message, Throwable cause) {
    super(message, cause);
  }
}
