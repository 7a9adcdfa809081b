package org.segstream.train;

import org.segstream.segment.Refinement;
import org.segstream.segment.SegmenterSettings;

/** How held-out pairs are run when the caller names no scoring settings: no refinement, no frame cap to speak of. */
enum ScoringDefaults implements SegmenterSettings {
  UNREFINED;

  @Override
  public Refinement refinement() {
    return new Refinement.Off();
  }

  @Override
  public double contourEpsilon() {
    return 1.0;
  }

  @Override
  public double contourMinArea() {
    return 0;
  }

  @Override
  public long maxFramePixels() {
    return 40_000_000L;
  }
}
