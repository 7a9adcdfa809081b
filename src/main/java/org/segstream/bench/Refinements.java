package org.segstream.bench;

import org.segstream.process.ProcessorSettings;
import org.segstream.segment.Refinement;

/** The processor's refinement as the {@code --refine} value that selects it, for the tables' headers. */
final class Refinements {
  private Refinements() {}

  static String label(ProcessorSettings settings) {
    return settings.refinement() instanceof Refinement.Crf ? "crf" : "off";
  }
}
