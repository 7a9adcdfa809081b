package org.segstream.temporal;

/**
 * What the temporal step did with one frame.
 *
 * @param previousSequence the sequence of the frame whose state was blended in, or −1 when nothing was (the stream's
 *     first frame, or after a discontinuity, a scene cut or a change of size)
 * @param blendedShare the share of the frame's pixels that kept something of the previous frame, 0..1
 * @param sceneCut the frame's colour changed so much that the stream started afresh
 */
public record TemporalBlend(long previousSequence, double blendedShare, boolean sceneCut) {
  /** Nothing blended in: the frame starts its stream's state. */
  static TemporalBlend fresh(boolean sceneCut) {
    return new TemporalBlend(-1, 0, sceneCut);
  }

  public boolean blended() {
    return previousSequence >= 0;
  }
}
