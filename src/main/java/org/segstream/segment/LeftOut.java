package org.segstream.segment;

/**
 * What the segmenter left out of a frame to keep its latency budget, and why (for the result and
 * the metrics).
 */
public record LeftOut(Part part, String reason) {

  /** The part of the work left out, from the least to the most. */
  public enum Part {
    /** Refined at a lower resolution than the refine size. */
    FULL_RESOLUTION_REFINEMENT,
    /** Not refined: labels straight from the model. */
    REFINEMENT,
    /** Not segmented at all: the result has no label map. */
    SEGMENTATION
  }
}
