package org.segstream.cli;

import org.segstream.process.ProcessorSettings;
import picocli.CommandLine;

/**
 * The processor's settings when {@code process} is given no flags, read from the options' own defaults: what
 * {@code eval} scores with unless told otherwise, so the trainer scores an exported model with them for its
 * metadata, and tests check the bundled models' figures with them.
 */
public final class ProcessDefaults {
  private ProcessDefaults() {}

  public static ProcessorSettings settings() {
    return CommandLine.populateCommand(new ProcessorOptions()).toSettings();
  }
}
