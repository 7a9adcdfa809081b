package org.segstream.segment;

/**
 * Where a frame's way from bytes to labels ended: reading it from its record, decoding its image, the model call,
 * refinement, or encoding the result. The Kafka edge names the same stages in its dead letters.
 */
public enum FailureStage {
  /** The record is not a frame: unreadable bytes, or fields that contradict each other. */
  DESERIALIZE,
  /** The image does not decode, or is not the image its record declares, or is over the pixel cap. */
  DECODE,
  /** The model call for the batch failed. */
  INFERENCE,
  /** Upsampling or the dense CRF failed. */
  REFINE,
  /** Contours, the label map PNG or the result record could not be made. */
  ENCODE
}
