package org.segstream.segment;

import java.util.List;
import org.segstream.image.LabelMap;
import org.segstream.refine.Contour;
import org.segstream.temporal.TemporalBlend;

/**
 * What became of one frame of a batch: segmented (perhaps with a part left out), skipped to keep the
 * latency budget, or failed at a stage (the processor dead-letters it).
 */
public sealed interface FrameOutcome permits FrameOutcome.Segmented, FrameOutcome.Skipped, FrameOutcome.Failed {

  /** Milliseconds per stage for one frame; inference is the whole batch's session call. */
  record StageTimings(float decodeMs, float inferenceMs, float refineMs, float encodeMs) {}

  /**
   * @param leftOut what the latency budget left out, null for nothing
   * @param temporal what the temporal step did with the frame, null when it did not run (off, or not a stream's frame)
   */
  record Segmented(
      LabelMap labels,
      float[] classFractions,
      List<Contour> contours,
      byte[] labelMapPng,
      boolean refined,
      int batchSize,
      StageTimings timings,
      LeftOut leftOut,
      TemporalBlend temporal)
      implements FrameOutcome {

    /** Fully processed. */
    public Segmented(LabelMap labels, float[] classFractions, List<Contour> contours, byte[] labelMapPng, boolean refined,
        int batchSize, StageTimings timings) {
      this(labels, classFractions, contours, labelMapPng, refined, batchSize, timings, null, null);
    }
  }

  /** Not segmented: it could not make its latency budget even unrefined. */
  record Skipped(LeftOut leftOut) implements FrameOutcome {}

  record Failed(FailureStage stage, Exception error) implements FrameOutcome {}
}
