package org.segstream.process;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.Timings;
import org.segstream.avro.VideoFrame;
import org.segstream.kafka.ResultRecords;
import org.segstream.segment.FailureStage;
import org.segstream.segment.FrameOutcome;
import org.segstream.segment.FrameOutcome.Failed;
import org.segstream.segment.FrameOutcome.Segmented;
import org.segstream.telemetry.PipelineMetrics;
import org.segstream.track.StreamTrackers;
import org.segstream.track.TrackedInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a finished batch's outcomes into what leaves the task, frame by frame in order: a result record for a
 * segmented or skipped frame and for an end of stream (through the object trackers, the one sequential step), a
 * dead letter for a failed frame or a result that does not fit the record limit even shrunk ({@link ResultFitter}),
 * and the metrics of each. Called from the task's thread, inside its transaction.
 */
final class ResultForwarder {
  private static final Logger log = LoggerFactory.getLogger(ResultForwarder.class);

  private final ProcessorContext<Object, Object> context;
  private final ResultRecords results;
  private final Function<SegmentationResult, byte[]> encoder;
  private final ResultFitter fitter;
  private final double contourEpsilon;
  private final PipelineMetrics metrics;
  private final DeadLetterSink deadLetters;
  /** This task's object trackers, in memory only: after a restart they start empty (ids from a fresh base); null without tracking. */
  private final StreamTrackers trackers;

  ResultForwarder(ProcessorContext<Object, Object> context, ResultRecords results, Function<SegmentationResult, byte[]> encoder,
      ResultFitter fitter, double contourEpsilon, PipelineMetrics metrics, DeadLetterSink deadLetters, StreamTrackers trackers) {
    this.context = context;
    this.results = results;
    this.encoder = encoder;
    this.fitter = fitter;
    this.contourEpsilon = contourEpsilon;
    this.metrics = metrics;
    this.deadLetters = deadLetters;
    this.trackers = trackers;
  }

  /**
   * @param outcomes one per frame with an image, in order
   * @param flushStart when the batch was flushed: a frame's queue wait ends there
   */
  void forward(List<PendingFrame> batch, List<FrameOutcome> outcomes, long flushStart) {
    long segmented = outcomes.stream().filter(o -> !(o instanceof FrameOutcome.Skipped)).count();
    if (segmented > 0) {
      metrics.batch((int) segmented);
    }
    int next = 0;
    for (PendingFrame p : batch) {
      VideoFrame f = p.frame();
      if (p.image() == null) {
        if (trackers != null) {
          trackers.endOfStream(f.getStreamId());
        }
        SegmentationResult end = results.endOfStream(f);
        send(f, end, encoder.apply(end));
        continue;
      }
      FrameOutcome outcome = outcomes.get(next++);
      if (outcome instanceof Segmented s) {
        segmented(p, s, flushStart);
      } else if (outcome instanceof FrameOutcome.Skipped skipped) {
        partTrackedIdsAtGap(f);
        SegmentationResult r = results.skipped(f, skipped.leftOut(), flushStart - p.entry().arrivalWallMs());
        send(f, r, encoder.apply(r));
        metrics.leftOut(skipped.leftOut().part().name());
        metrics.frameOut(f.getStreamId(), r.getResultWallTimeMs() - f.getCaptureWallTimeMs());
      } else if (outcome instanceof Failed failed) {
        partTrackedIdsAtGap(f);
        deadLetters.frame(p.entry(), failed.stage(), failed.error());
      }
    }
  }

  /** A frame without a label map that marks a gap (skipped or dead-lettered): the gap still parts the ids before and after it. */
  private void partTrackedIdsAtGap(VideoFrame f) {
    if (trackers != null && f.getDiscontinuity()) {
      trackers.endOfStream(f.getStreamId());
    }
  }

  private void segmented(PendingFrame p, Segmented s, long flushStart) {
    VideoFrame f = p.frame();
    // the one sequential step: frames of a stream reach it in sequence order, after the parallel per-frame work
    List<TrackedInstance> instances = trackers == null ? List.of()
        : trackers.update(f.getStreamId(), f.getSequence(), f.getDiscontinuity(), s.labels(), s.contours());
    SegmentationResult full = results.segmented(f, s, flushStart - p.entry().arrivalWallMs(), instances);
    int keyBytes = f.getStreamId().getBytes(StandardCharsets.UTF_8).length;
    ResultFitter.Fitted fitted = fitter.fit(keyBytes, full, s.contours(), contourEpsilon);
    if (fitted instanceof ResultFitter.Fits fits) {
      if (fits.shrunk() != null) {
        log.warn("result of {}#{} over the record limit: {}", f.getStreamId(), f.getSequence(), fits.shrunk());
      }
      SegmentationResult r = fits.result();
      send(f, r, fits.encoded());
      if (s.leftOut() != null) {
        metrics.leftOut(s.leftOut().part().name());
      }
      if (s.temporal() != null) {
        metrics.temporal(s.temporal().blended() ? "blended" : s.temporal().sceneCut() ? "scene_cut" : "fresh");
      }
      Timings t = r.getTimings();
      metrics.stageTimes(t.getQueueWaitMs(), t.getDecodeMs(), t.getInferenceMs(), t.getRefineMs(), t.getEncodeMs());
      metrics.frameOut(f.getStreamId(), r.getResultWallTimeMs() - f.getCaptureWallTimeMs());
    } else if (fitted instanceof ResultFitter.TooLarge tooLarge) {
      deadLetters.frame(p.entry(), FailureStage.ENCODE, new RecordTooLargeException(tooLarge.reason()));
    }
  }

  /** Forwards a result already encoded (the fitter measured its size that way): the sink sends the bytes as they are. */
  private void send(VideoFrame frame, SegmentationResult result, byte[] encoded) {
    context.forward(new Record<Object, Object>(frame.getStreamId(), encoded, result.getResultWallTimeMs()),
        SegmentationTopology.MASKS_SINK);
  }
}
