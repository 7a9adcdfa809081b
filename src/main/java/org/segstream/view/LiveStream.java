package org.segstream.view;

import java.util.ArrayDeque;
import java.util.Iterator;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.VideoFrame;
import org.segstream.config.Secrets;
import org.segstream.image.ImageCodec;

/**
 * One stream as the view follows it: the frames waiting for their results (few, sampled, given up after the join
 * timeout), the latest frame joined with its result, and the figures the page shows. The consumer thread writes;
 * viewer threads read the latest pair and wait for the next one on this object's monitor.
 */
final class LiveStream {
  /** Frames kept waiting for their result, at most; the view shows the latest, so a few in flight are enough. */
  static final int MAX_PENDING = 48;

  /** A frame joined with its result; {@code version} counts the pairs of this stream from 1. */
  record Joined(VideoFrame frame, SegmentationResult result, long version) {}

  /** What the page shows of a stream, at one moment. */
  record Figures(String id, String sourceUri, double framesPerSecond, double latencyMs, long deadLetters, long results,
      long givenUp, long shownSequence, boolean ended) {}

  private record Pending(VideoFrame frame, long arrivedNanos, int bytes) {}

  private final String id;
  private final PendingBudget budget;
  private final long sampleIntervalNanos;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final Object composing = new Object();
  private long composedVersion;
  private byte[] composedJpeg;
  private String sourceUri = "";
  private long lastKeptNanos = Long.MIN_VALUE / 2;
  private Joined latest;
  private long results;
  private long deadLetters;
  private long givenUp;
  private long lastActivityNanos;
  private boolean ended;
  // frames/s and latency over windows of about a second
  private long windowStartNanos;
  private int windowResults;
  private double windowLatencySum;
  private double framesPerSecond;
  private double latencyMs = Double.NaN;

  /**
   * @param budget the bytes all streams together may hold in waiting frames
   * @param sampleIntervalNanos frames closer together than this are not kept (the view shows at most that rate)
   */
  LiveStream(String id, PendingBudget budget, long sampleIntervalNanos, long nowNanos) {
    this.id = id;
    this.budget = budget;
    this.sampleIntervalNanos = sampleIntervalNanos;
    this.lastActivityNanos = nowNanos;
    this.windowStartNanos = nowNanos;
  }

  String id() {
    return id;
  }

  /** A frame from the frames topic: kept to wait for its result when due by the sampling rate and the budget. */
  synchronized void frame(VideoFrame frame, long nowNanos) {
    lastActivityNanos = nowNanos;
    sourceUri = Secrets.maskUris(frame.getSourceUri());
    if (frame.getEndOfStream()) {
      return; // the stream has ended once its last result is out
    }
    ended = false; // a stream id reused after its end is live again
    giveUpExpired(nowNanos, Long.MAX_VALUE);
    if (nowNanos - lastKeptNanos < sampleIntervalNanos) {
      return;
    }
    int bytes = frame.getData().remaining() + 256;
    if (pending.size() >= MAX_PENDING) {
      dropOldest();
    }
    if (!budget.take(bytes)) {
      givenUp++;
      return;
    }
    pending.addLast(new Pending(frame, nowNanos, bytes));
    lastKeptNanos = nowNanos;
  }

  /** A result: joined with its frame when that is still waiting; frames before it will get none now. */
  synchronized void result(SegmentationResult result, long nowNanos) {
    lastActivityNanos = nowNanos;
    if (result.getEndOfStream()) {
      ended = true;
      return;
    }
    results++;
    windowResults++;
    windowLatencySum += Math.max(0, result.getResultWallTimeMs() - result.getCaptureWallTimeMs());
    rollWindow(nowNanos);
    long sequence = result.getSequence();
    Iterator<Pending> it = pending.iterator();
    while (it.hasNext()) {
      Pending p = it.next();
      long s = p.frame().getSequence();
      if (s > sequence) {
        break;
      }
      it.remove();
      budget.give(p.bytes());
      if (s == sequence) {
        latest = new Joined(p.frame(), result, latest == null ? 1 : latest.version() + 1);
        notifyAll();
      } else {
        givenUp++; // its result went by unseen (the view started after it) or was dead-lettered
      }
    }
  }

  /** A dead letter keyed by this stream. */
  synchronized void deadLetter(long nowNanos) {
    lastActivityNanos = nowNanos;
    deadLetters++;
  }

  /** Gives up on frames that waited longer than {@code timeoutNanos}; called from the consumer thread now and then. */
  synchronized void giveUpExpired(long nowNanos, long timeoutNanos) {
    while (!pending.isEmpty() && nowNanos - pending.peekFirst().arrivedNanos() > timeoutNanos) {
      dropOldest();
    }
    rollWindow(nowNanos);
  }

  private void dropOldest() {
    Pending p = pending.removeFirst();
    budget.give(p.bytes());
    givenUp++;
  }

  private void rollWindow(long nowNanos) {
    long elapsed = nowNanos - windowStartNanos;
    if (elapsed >= 1_000_000_000L) {
      framesPerSecond = windowResults / (elapsed / 1e9);
      if (windowResults > 0) {
        latencyMs = windowLatencySum / windowResults;
      }
      windowResults = 0;
      windowLatencySum = 0;
      windowStartNanos = nowNanos;
    }
  }

  /** Releases every waiting frame's bytes: the stream is dropped. */
  synchronized void release() {
    while (!pending.isEmpty()) {
      budget.give(pending.removeFirst().bytes());
    }
    notifyAll();
  }

  synchronized long lastActivityNanos() {
    return lastActivityNanos;
  }

  synchronized boolean ended() {
    return ended;
  }

  synchronized int pendingFrames() {
    return pending.size();
  }

  /** The latest pair, or null before the first. */
  synchronized Joined latest() {
    return latest;
  }

  /**
   * Waits until a pair newer than {@code version} is there, or {@code timeoutMillis} went by; returns the latest
   * (which may be the one already seen, or null).
   */
  synchronized Joined awaitNewer(long version, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (latest == null || latest.version() <= version) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(Math.max(1, left / 1_000_000L));
    }
    return latest;
  }

  /** The pair composited as JPEG, once per pair however many viewers watch. */
  byte[] jpeg(Joined joined) {
    synchronized (composing) {
      if (composedVersion != joined.version()) {
        composedJpeg = ImageCodec.encodeJpeg(Compositor.compose(joined.frame(), joined.result()), Compositor.JPEG_QUALITY);
        composedVersion = joined.version();
      }
      return composedJpeg;
    }
  }

  synchronized Figures figures(long nowNanos) {
    boolean stale = nowNanos - windowStartNanos > 2_000_000_000L;
    return new Figures(id, sourceUri, stale ? 0 : framesPerSecond, latencyMs, deadLetters, results, givenUp,
        latest == null ? -1 : latest.frame().getSequence(), ended);
  }
}
