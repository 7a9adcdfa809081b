package org.segstream.telemetry;

import org.segstream.kafka.ClientMetrics;

/**
 * What the pipeline records about itself. {@code ingest} and {@code process} call these from their
 * hot paths; {@link #NONE} does nothing (metrics off), {@link PrometheusMetrics} counts for /metrics.
 * Implementations are thread-safe and never throw. Stream ids come from record data: an
 * implementation bounds what it keeps per stream ({@link StreamLabels}).
 */
public interface PipelineMetrics {
  /** Records nothing: the implementation when no {@code --metrics-port} is given. */
  PipelineMetrics NONE = new PipelineMetrics() {};

  /** {@code ingest}: a frame of the stream was handed to the Kafka producer. */
  default void framePublished(String streamId) {}

  /** {@code ingest}: a frame was dropped before publishing (live sources falling behind, say). */
  default void frameDropped(String streamId, String reason) {}

  /** {@code ingest}: a live source was opened again after losing its connection. */
  default void reconnected(String streamId) {}

  /** {@code process}: a frame was read and buffered for segmentation (end-of-stream records not counted). */
  default void frameIn(String streamId) {}

  /**
   * {@code process}: a frame's result was forwarded to the masks topic.
   *
   * @param captureToResultMs the result's wall time minus the frame's capture wall time
   */
  default void frameOut(String streamId, long captureToResultMs) {}

  /**
   * {@code process}: a record went to the dead-letter topic from this stage (DESERIALIZE, DECODE...).
   * No stream: a dead letter's key is whatever bytes the writer put there.
   */
  default void deadLettered(String stage) {}

  /**
   * {@code process}: a record could not be serialised or sent to {@code topic} and was skipped (the
   * production exception handler's count; the processor keeps its records under the limit, so this
   * stays 0 unless something is misconfigured).
   */
  default void productionError(String topic, String errorClass) {}

  /** {@code process}: one model call segmented this many frames. */
  default void batch(int frames) {}

  /**
   * {@code process}: a frame's result left this part out to keep the latency budget
   * (FULL_RESOLUTION_REFINEMENT, REFINEMENT or SEGMENTATION).
   */
  default void leftOut(String part) {}

  /**
   * {@code process}: what the temporal step did with a frame: {@code blended} (some of the stream's previous frame
   * kept), {@code fresh} (its stream starts here: the first frame, a discontinuity, a new size) or {@code scene_cut}.
   */
  default void temporal(String outcome) {}

  /** {@code process}: per-frame stage times in ms; inference is the whole batch's session call. */
  default void stageTimes(float queueWaitMs, float decodeMs, float inferenceMs, float refineMs, float encodeMs) {}

  /**
   * Where this component's Kafka clients publish their own metrics (lag, commit latency, producer errors),
   * tagged with the component; {@link ClientMetrics#NONE} by default.
   */
  default ClientMetrics kafkaClients() {
    return ClientMetrics.NONE;
  }
}
