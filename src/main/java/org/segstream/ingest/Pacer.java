package org.segstream.ingest;

import java.util.concurrent.TimeUnit;

/**
 * Releases frames at the pace of a {@link Pacing}: frame {@code i} is due at the start plus its
 * presentation time offset ({@code native}) or plus {@code i / fps} ({@code fixed}). Deadlines are
 * absolute, so time spent decoding and publishing does not accumulate as drift.
 */
final class Pacer {
  private final Pacing pacing;
  private long startNanos = Long.MIN_VALUE;
  private long firstPtsUs;
  private long lastPtsUs;
  private long index;

  Pacer(Pacing pacing) {
    this.pacing = pacing;
  }

  /** Waits until the frame with this presentation time is due; the first frame is due at once. */
  void awaitDue(long ptsUs) throws InterruptedException {
    long now = System.nanoTime();
    if (startNanos == Long.MIN_VALUE) {
      anchor(now, ptsUs);
      index++;
      return;
    }
    long dueNanos;
    if (pacing instanceof Pacing.Native) {
      if (ptsUs < lastPtsUs) {
        anchor(now, ptsUs); // timestamps went backwards (a loop or a broken file): restart the clock here
      }
      dueNanos = startNanos + TimeUnit.MICROSECONDS.toNanos(ptsUs - firstPtsUs);
    } else if (pacing instanceof Pacing.Fixed fixed) {
      dueNanos = startNanos + (long) (index * 1e9 / fixed.framesPerSecond());
    } else {
      dueNanos = now;
    }
    lastPtsUs = ptsUs;
    index++;
    long waitNanos = dueNanos - now;
    if (waitNanos > 0) {
      TimeUnit.NANOSECONDS.sleep(waitNanos);
    }
  }

  private void anchor(long nowNanos, long ptsUs) {
    startNanos = nowNanos;
    firstPtsUs = ptsUs;
    lastPtsUs = ptsUs;
  }
}
