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
  /** Results kept waiting for their frame, at most: a result read before its frame (another topic) joins it later. */
  static final int MAX_EARLY = 16;
  /** Frames/s and latency are figured over this many latest results. */
  static final int FIGURES_OVER = 32;
  /** A stream without a result for this long shows 0 frames/s. */
  static final long IDLE_FIGURES_NANOS = 3_000_000_000L;

  /** A frame joined with its result; {@code version} counts the pairs of this stream from 1. */
  record Joined(VideoFrame frame, SegmentationResult result, long version) {}

  /** What the page shows of a stream, at one moment. */
  record Figures(String id, String sourceUri, double framesPerSecond, double latencyMs, long deadLetters, long results,
      long givenUp, long shownSequence, boolean ended) {}

  private record Pending(VideoFrame frame, long arrivedNanos, int bytes) {}

  private record Early(SegmentationResult result, long arrivedNanos) {}

  private final String id;
  private final PendingBudget budget;
  private final long sampleIntervalNanos;
  private final int maxPending;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final ArrayDeque<Early> early = new ArrayDeque<>();
  private long lastFrameSequence = -1;
  private final Object composing = new Object();
  private long composedVersion;
  private byte[] composedJpeg;
  private String sourceUri = "";
  private long lastKeptNanos = Long.MIN_VALUE / 2;
  private long lastKeptCaptureNanos = Long.MIN_VALUE / 2;
  private Joined latest;
  private long results;
  private long deadLetters;
  private long givenUp;
  private long lastActivityNanos;
  private boolean ended;
  // frames/s and latency over the latest results, by the processor's clock, so results that become visible
  // together (a transaction's worth) do not read as a burst and a pause
  private final long[] resultWallTimes = new long[FIGURES_OVER];
  private final long[] latencies = new long[FIGURES_OVER];
  private int figured;
  private int nextFigure;
  private long lastResultNanos;

  /**
   * @param budget the bytes all streams together may hold in waiting frames
   * @param sampleIntervalNanos frames captured closer together than this are not kept (the view shows at most that rate)
   * @param maxPending frames kept waiting at most; the oldest is given up for a new one
   */
  LiveStream(String id, PendingBudget budget, long sampleIntervalNanos, int maxPending, long nowNanos) {
    this.id = id;
    this.budget = budget;
    this.sampleIntervalNanos = sampleIntervalNanos;
    this.maxPending = maxPending;
    this.lastActivityNanos = nowNanos;
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
    if (frame.getSequence() < lastFrameSequence) {
      // the source restarted its sequence (a restarted ingest begins at 0 again): what waits belongs to the old run
      while (!pending.isEmpty()) {
        dropOldest();
      }
      early.clear();
    }
    lastFrameSequence = frame.getSequence();
    SegmentationResult answered = takeEarly(frame.getSequence());
    if (answered != null) {
      join(frame, answered);
      return;
    }
    // kept when far enough from the last kept frame by arrival or by the source's clock: a file replayed slower
    // than captured keeps every frame, frames arriving in a burst (max rate, a backlog) are thinned as captured
    long captureNanos = frame.getCaptureTimeUs() * 1000;
    if (captureNanos < lastKeptCaptureNanos) {
      lastKeptCaptureNanos = Long.MIN_VALUE / 2; // the source's clock went back (a reconnect)
    }
    if (nowNanos - lastKeptNanos < sampleIntervalNanos && captureNanos - lastKeptCaptureNanos < sampleIntervalNanos) {
      return;
    }
    int bytes = frame.getData().remaining() + 256;
    if (pending.size() >= maxPending) {
      dropOldest();
    }
    if (!budget.take(bytes)) {
      givenUp++;
      return;
    }
    pending.addLast(new Pending(frame, nowNanos, bytes));
    lastKeptNanos = nowNanos;
    lastKeptCaptureNanos = captureNanos;
  }

  /** A result: joined with its frame when that is still waiting; frames before it will get none now. */
  synchronized void result(SegmentationResult result, long nowNanos) {
    lastActivityNanos = nowNanos;
    if (result.getEndOfStream()) {
      ended = true;
      return;
    }
    results++;
    resultWallTimes[nextFigure] = result.getResultWallTimeMs();
    latencies[nextFigure] = Math.max(0, result.getResultWallTimeMs() - result.getCaptureWallTimeMs());
    nextFigure = (nextFigure + 1) % FIGURES_OVER;
    figured = Math.min(FIGURES_OVER, figured + 1);
    lastResultNanos = nowNanos;
    long sequence = result.getSequence();
    if (sequence > lastFrameSequence) {
      if (early.size() >= MAX_EARLY) {
        early.removeFirst();
      }
      early.addLast(new Early(result, nowNanos));
      return;
    }
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
        join(p.frame(), result);
      } else {
        givenUp++; // its result went by unseen (the view started after it) or was dead-lettered
      }
    }
  }

  private void join(VideoFrame frame, SegmentationResult result) {
    latest = new Joined(frame, result, latest == null ? 1 : latest.version() + 1);
    notifyAll();
  }

  /** The early result for this frame, if any; earlier ones will find no frame now and go. */
  private SegmentationResult takeEarly(long sequence) {
    while (!early.isEmpty() && early.peekFirst().result().getSequence() <= sequence) {
      SegmentationResult r = early.removeFirst().result();
      if (r.getSequence() == sequence) {
        return r;
      }
    }
    return null;
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
    while (!early.isEmpty() && nowNanos - early.peekFirst().arrivedNanos() > timeoutNanos) {
      early.removeFirst();
    }
  }

  private void dropOldest() {
    Pending p = pending.removeFirst();
    budget.give(p.bytes());
    givenUp++;
  }

  /** Releases every waiting frame's bytes: the stream is dropped. */
  synchronized void release() {
    while (!pending.isEmpty()) {
      budget.give(pending.removeFirst().bytes());
    }
    early.clear();
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
    double fps = 0;
    double latency = Double.NaN;
    if (figured > 0) {
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      long latencySum = 0;
      for (int i = 0; i < figured; i++) {
        first = Math.min(first, resultWallTimes[i]);
        last = Math.max(last, resultWallTimes[i]);
        latencySum += latencies[i];
      }
      latency = latencySum / (double) figured;
      if (figured > 1 && nowNanos - lastResultNanos <= IDLE_FIGURES_NANOS) {
        fps = (figured - 1) * 1000.0 / Math.max(1, last - first);
      }
    }
    return new Figures(id, sourceUri, fps, latency, deadLetters, results, givenUp,
        latest == null ? -1 : latest.frame().getSequence(), ended);
  }
}
