package org.segstream.eval;

import java.util.Objects;
import org.segstream.process.ProcessorSettings;

/**
 * One refine mode an evaluation runs: its name in reports ({@code off}, {@code crf}) and the processor settings
 * that mean it.
 */
public record ModeSettings(String name, ProcessorSettings settings) {
  public ModeSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(settings, "settings");
  }
}
