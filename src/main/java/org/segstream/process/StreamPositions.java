package org.segstream.process;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.segstream.segment.StreamPosition;

/**
 * The stream positions of a batch's frames for the segmenter's temporal step, in batch order. A stream's end, or a
 * frame not submitted (skipped for the latency budget) that marks a discontinuity, resets the stream at that point:
 * the stream's next frame in the batch counts as a discontinuity, or, with none, the stream is to be forgotten after
 * the batch (so its frames before the reset are still blended with their past).
 */
final class StreamPositions {
  private final List<StreamPosition> submitted = new ArrayList<>();
  private final Set<String> resetBeforeNext = new LinkedHashSet<>();

  /** The stream's end-of-stream record. */
  void ended(String streamId) {
    resetBeforeNext.add(streamId);
  }

  /** A frame that is not submitted to the segmenter. */
  void notSubmitted(String streamId, boolean discontinuity) {
    if (discontinuity) {
      resetBeforeNext.add(streamId);
    }
  }

  /** A frame submitted to the segmenter, in batch order. */
  void submitted(String streamId, long sequence, boolean discontinuity) {
    boolean reset = resetBeforeNext.remove(streamId);
    submitted.add(new StreamPosition(streamId, sequence, discontinuity || reset));
  }

  /** One per submitted frame, in order. */
  List<StreamPosition> positions() {
    return List.copyOf(submitted);
  }

  /** The streams reset after their last frame in the batch: the segmenter forgets them once the batch is blended. */
  Set<String> forgetAfterBatch() {
    return Set.copyOf(resetBeforeNext);
  }
}
