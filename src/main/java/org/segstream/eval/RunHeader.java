package org.segstream.eval;

import java.time.Instant;
import org.segstream.model.Machine;

/**
 * What every report starts with: the command line that asked for the run (credentials already masked by the
 * caller), when the run started (ISO-8601) and the machine it ran on.
 */
public record RunHeader(String command, String createdAt, String machine) {

  /** A header stamped now, on this machine. */
  public static RunHeader now(String command) {
    return new RunHeader(command, Instant.now().toString(), Machine.describe());
  }
}
