package org.segstream.process;

import java.time.Duration;
import java.util.Optional;
import org.segstream.config.InvalidSettingException;
import org.segstream.kafka.Topics;
import org.segstream.segment.Refinement;
import org.segstream.segment.SegmenterSettings;
import org.segstream.temporal.TemporalSettings;

/**
 * What the processor does with each batch, validated at start-up.
 *
 * @param maxFramePixels the largest frame (width × height, as its header declares it) that is decoded;
 *     larger ones are dead-lettered before any pixel is allocated
 * @param maxRecordBytes the largest record the processor may send (results and dead letters): the
 *     masks topic's {@code max.message.bytes} and the producer's {@code max.request.size}, whichever is
 *     smaller; results over it are shrunk, then dead-lettered
 * @param latencyBudget capture → result within this (0 = no budget): a frame that would miss it is
 *     refined at a lower resolution, or not refined, or skipped, and its result says so
 * @param tracking whether results carry instances with ids tracked across each stream's frames
 * @param maxStreams how many streams' object trackers (and temporal states) a task keeps at most (the least
 *     recently seen one beyond is forgotten and starts again from empty if it comes back)
 * @param temporal whether each stream's probabilities are blended with its previous frame's where the picture
 *     is still ({@link TemporalSettings}), so masks do not flicker
 */
public record ProcessorSettings(
    int batchSize,
    Duration batchMaxDelay,
    Refinement refinement,
    double contourEpsilon,
    double contourMinArea,
    long maxFramePixels,
    int maxRecordBytes,
    Duration latencyBudget,
    boolean tracking,
    int maxStreams,
    boolean temporal)
    implements SegmenterSettings {

  public static final int DEFAULT_BATCH_SIZE = 8;
  public static final Duration DEFAULT_BATCH_MAX_DELAY = Duration.ofMillis(20);
  /** 40 MP: a 7680×4320 (8K UHD) frame is 33 MP. */
  public static final long DEFAULT_MAX_FRAME_PIXELS = 40_000_000L;
  /** The smallest record budget that still holds a result's fixed fields and a small label map. */
  public static final int MIN_RECORD_BYTES = 1024;
  /** The default of the stream cap ({@code --max-streams}), as the metrics' stream labels have it. */
  public static final int DEFAULT_MAX_STREAMS = 1000;

  public ProcessorSettings {
    if (batchSize < 1 || batchSize > 256) {
      throw new InvalidSettingException("batch-size", "the batch size must be between 1 and 256, got " + batchSize);
    }
    if (batchMaxDelay.isNegative() || batchMaxDelay.isZero()) {
      throw new InvalidSettingException("batch-max-delay-ms",
          "the batch delay must be positive, got " + batchMaxDelay.toMillis() + " ms");
    }
    if (contourEpsilon < 0) {
      throw new InvalidSettingException("contour-epsilon", "the contour tolerance must be >= 0 px, got " + contourEpsilon);
    }
    if (contourMinArea < 0) {
      throw new InvalidSettingException("contour-min-area", "the smallest contour area must be >= 0 px², got " + contourMinArea);
    }
    if (maxFramePixels < 1) {
      throw new InvalidSettingException("max-frame-pixels", "the frame pixel cap must be at least 1, got " + maxFramePixels);
    }
    if (latencyBudget == null || latencyBudget.isNegative()) {
      throw new InvalidSettingException("latency-budget-ms",
          "the latency budget must be 0 (off) or a positive number of milliseconds, got " + latencyBudget);
    }
    if (maxRecordBytes < MIN_RECORD_BYTES) {
      throw new IllegalArgumentException(
          "the record size limit must be at least " + MIN_RECORD_BYTES + " bytes, got " + maxRecordBytes
              + " (is the producer's max.request.size that small?)");
    }
    if (maxStreams < 1) {
      throw new InvalidSettingException("max-streams", "the processor must keep at least 1 stream's state, got " + maxStreams);
    }
  }

  /** No latency budget, tracking and the temporal step on, at most {@value #DEFAULT_MAX_STREAMS} streams. */
  public ProcessorSettings(
      int batchSize, Duration batchMaxDelay, Refinement refinement, double contourEpsilon, double contourMinArea,
      long maxFramePixels, int maxRecordBytes) {
    this(batchSize, batchMaxDelay, refinement, contourEpsilon, contourMinArea, maxFramePixels, maxRecordBytes,
        Duration.ZERO, true, DEFAULT_MAX_STREAMS, true);
  }

  /** The default frame and record limits, no latency budget, tracking on. */
  public ProcessorSettings(
      int batchSize, Duration batchMaxDelay, Refinement refinement, double contourEpsilon, double contourMinArea) {
    this(batchSize, batchMaxDelay, refinement, contourEpsilon, contourMinArea, DEFAULT_MAX_FRAME_PIXELS,
        Topics.MAX_RECORD_BYTES);
  }

  public static ProcessorSettings defaults(Refinement refinement) {
    return new ProcessorSettings(DEFAULT_BATCH_SIZE, DEFAULT_BATCH_MAX_DELAY, refinement, 1.5, 16);
  }

  public ProcessorSettings withMaxFramePixels(long pixels) {
    return new ProcessorSettings(batchSize, batchMaxDelay, refinement, contourEpsilon, contourMinArea, pixels, maxRecordBytes,
        latencyBudget, tracking, maxStreams, temporal);
  }

  public ProcessorSettings withMaxRecordBytes(int bytes) {
    return new ProcessorSettings(batchSize, batchMaxDelay, refinement, contourEpsilon, contourMinArea, maxFramePixels, bytes,
        latencyBudget, tracking, maxStreams, temporal);
  }

  public ProcessorSettings withLatencyBudget(Duration budget) {
    return new ProcessorSettings(batchSize, batchMaxDelay, refinement, contourEpsilon, contourMinArea, maxFramePixels,
        maxRecordBytes, budget, tracking, maxStreams, temporal);
  }

  /** With tracking on or off, keeping at most {@code streams} streams' trackers. */
  public ProcessorSettings withTracking(boolean on, int streams) {
    return new ProcessorSettings(batchSize, batchMaxDelay, refinement, contourEpsilon, contourMinArea, maxFramePixels,
        maxRecordBytes, latencyBudget, on, streams, temporal);
  }

  /** With the temporal step on or off. */
  public ProcessorSettings withTemporal(boolean on) {
    return new ProcessorSettings(batchSize, batchMaxDelay, refinement, contourEpsilon, contourMinArea, maxFramePixels,
        maxRecordBytes, latencyBudget, tracking, maxStreams, on);
  }

  /** The default blending, its states under the same stream cap as the trackers'. */
  @Override
  public Optional<TemporalSettings> temporalSmoothing() {
    return temporal ? Optional.of(TemporalSettings.defaults(maxStreams)) : Optional.empty();
  }
}
