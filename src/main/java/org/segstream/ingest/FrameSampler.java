package org.segstream.ingest;

/**
 * {@code --max-fps}: keeps frames at most {@code maxFps} apart by presentation time, evenly (30 fps
 * sampled to 10 keeps every third frame). A timestamp going backwards (a reconnect) starts afresh.
 */
final class FrameSampler {
  private final long intervalUs;
  private long nextDueUs = Long.MIN_VALUE;
  private long lastPtsUs = Long.MIN_VALUE;

  /** @param maxFps 0 = keep every frame */
  FrameSampler(double maxFps) {
    this.intervalUs = maxFps > 0 ? Math.round(1e6 / maxFps) : 0;
  }

  /** Whether the frame with this presentation time is kept. */
  boolean keep(long ptsUs) {
    if (intervalUs == 0) {
      return true;
    }
    boolean restart = nextDueUs == Long.MIN_VALUE || ptsUs < lastPtsUs;
    lastPtsUs = ptsUs;
    // a tenth of an interval of slack, so rounded timestamps do not push a frame to the next slot
    if (!restart && ptsUs < nextDueUs - intervalUs / 10) {
      return false;
    }
    // after a pause longer than an interval, count from this frame instead of catching up
    nextDueUs = restart || ptsUs > nextDueUs + intervalUs ? ptsUs + intervalUs : nextDueUs + intervalUs;
    return true;
  }
}
