package org.segstream.segment;

import org.segstream.config.InvalidSettingException;
import org.segstream.refine.CrfParams;

/** How the compute core refines the model's probabilities before taking labels: a closed set. */
public sealed interface Refinement permits Refinement.Off, Refinement.Crf {

  /** Labels are the argmax of the upsampled probabilities. */
  record Off() implements Refinement {}

  /** Dense CRF at the frame size capped at {@code maxSize} px on the long side. */
  record Crf(CrfParams params, int maxSize) implements Refinement {
    public Crf {
      if (maxSize < 16) {
        throw new InvalidSettingException("refine-max-size", "the refinement size cap must be at least 16 px on the long side, got " + maxSize);
      }
    }
  }

  static Refinement off() {
    return new Off();
  }
}
