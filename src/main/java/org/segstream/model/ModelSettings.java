package org.segstream.model;

/**
 * How a loaded model uses the CPU. The defaults (2 intra-op, 1 inter-op) suit the processor: one
 * session call at a time per stream thread, each spread over two cores.
 */
public record ModelSettings(int intraOpThreads, int interOpThreads) {
  public static final ModelSettings DEFAULT = new ModelSettings(2, 1);

  public ModelSettings {
    if (intraOpThreads < 1 || interOpThreads < 1) {
      throw new IllegalArgumentException(
          "TensorFlow thread counts must be at least 1, got intra-op " + intraOpThreads + ", inter-op " + interOpThreads);
    }
  }
}
