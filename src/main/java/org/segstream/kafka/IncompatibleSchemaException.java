package org.segstream.kafka;

/**
 * The schema registry holds, under a topic's subject, schemas a writer cannot follow (or not the writer's own, with
 * auto-registration off): found at start-up, before anything is written. The message names the subject and what to do.
 */
public final class IncompatibleSchemaException extends RuntimeException {
  public IncompatibleSchemaException(String message) {
    super(message);
  }
}
