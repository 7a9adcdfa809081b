package org.segstream.model;

/**
 * How a loaded model uses the CPU: one session call at a time per processor task, spread over
 * {@code intraOpThreads} cores.
 */
public record ModelSettings(int intraOpThreads, int interOpThreads) {
  /** The model alone: two intra-op threads, one inter-op. */
  public static final ModelSettings DEFAULT = new ModelSettings(2, 1);

  /**
   * The processor's: {@link #DEFAULT}, but when it refines with the dense CRF, half the cores (at least one). The
   * model then works on the next batch while the frame workers refine the last one, and both want the cores. On 2
   * cores one thread is also faster per call at the small batches a live source makes (12.7 against 15.7 ms for
   * one 224×128 frame; 87 against 76 ms at batch 8), and `bench pipeline` with the CRF on keeps its throughput with
   * a third less latency (BENCHMARKS.md).
   */
  public static ModelSettings forProcessor(boolean refinesWithCrf, int cores) {
    return refinesWithCrf ? new ModelSettings(Math.max(1, cores / 2), 1) : DEFAULT;
  }

  public ModelSettings {
    if (intraOpThreads < 1 || interOpThreads < 1) {
      throw new IllegalArgumentException(
          "TensorFlow thread counts must be at least 1, got intra-op " + intraOpThreads + ", inter-op " + interOpThreads);
    }
  }
}
