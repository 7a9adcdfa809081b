package org.segstream.view;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.VideoFrame;

/**
 * The streams the view follows, at most {@code maxStreams} of them: a stream appears with its first frame and is
 * dropped after a minute without records (or half a minute after its end), which frees its place. Frames of streams
 * beyond the cap are not kept, only counted. Written by the consumer thread, read by the HTTP threads.
 */
final class StreamBoard {
  /** All waiting frames together hold at most this many bytes, whatever the stream count. */
  static final long PENDING_BUDGET_BYTES = 64L * 1024 * 1024;
  static final long IDLE_DROP_NANOS = 60_000_000_000L;
  static final long ENDED_DROP_NANOS = 30_000_000_000L;

  private final int maxStreams;
  private final long joinTimeoutNanos;
  private final long sampleIntervalNanos;
  private final int maxPendingPerStream;
  private final PendingBudget budget = new PendingBudget(PENDING_BUDGET_BYTES);
  private final Map<String, LiveStream> streams = new ConcurrentHashMap<>();
  private final AtomicLong overCap = new AtomicLong();
  private final AtomicLong unattributedDeadLetters = new AtomicLong();

  /** @param sampleIntervalNanos the view keeps frames no closer together than this (its frame rate cap) */
  StreamBoard(int maxStreams, long joinTimeoutNanos, long sampleIntervalNanos) {
    this.maxStreams = maxStreams;
    this.joinTimeoutNanos = joinTimeoutNanos;
    this.sampleIntervalNanos = sampleIntervalNanos;
    // enough frames, at the view's rate, to wait out the join timeout
    this.maxPendingPerStream = (int) Math.max(1, Math.min(10_000,
        Math.ceil(joinTimeoutNanos / (double) Math.max(1, sampleIntervalNanos))));
  }

  void frame(VideoFrame frame, long nowNanos) {
    String id = frame.getStreamId();
    LiveStream stream = streams.get(id);
    if (stream == null) {
      if (streams.size() >= maxStreams || frame.getEndOfStream()) {
        overCap.addAndGet(frame.getEndOfStream() ? 0 : 1);
        return;
      }
      stream = new LiveStream(id, budget, sampleIntervalNanos, maxPendingPerStream, nowNanos);
      streams.put(id, stream);
    }
    stream.frame(frame, nowNanos);
  }

  void result(SegmentationResult result, long nowNanos) {
    LiveStream stream = streams.get(result.getStreamId());
    if (stream != null) {
      stream.result(result, nowNanos);
    }
  }

  /** A dead letter, by the stream id its record was keyed by (null when it had no key). */
  void deadLetter(String streamId, long nowNanos) {
    LiveStream stream = streamId == null ? null : streams.get(streamId);
    if (stream == null) {
      unattributedDeadLetters.incrementAndGet();
    } else {
      stream.deadLetter(nowNanos);
    }
  }

  /** Gives up on frames past the join timeout and drops idle and ended streams. */
  void housekeep(long nowNanos) {
    for (LiveStream stream : streams.values()) {
      stream.giveUpExpired(nowNanos, joinTimeoutNanos);
      long idle = nowNanos - stream.lastActivityNanos();
      if (idle > IDLE_DROP_NANOS || (stream.ended() && idle > ENDED_DROP_NANOS)) {
        streams.remove(stream.id());
        stream.release();
      }
    }
  }

  LiveStream stream(String id) {
    return streams.get(id);
  }

  /** Every stream's figures, by stream id. */
  List<LiveStream.Figures> figures(long nowNanos) {
    List<LiveStream.Figures> out = new ArrayList<>();
    for (LiveStream stream : streams.values()) {
      out.add(stream.figures(nowNanos));
    }
    out.sort(Comparator.comparing(LiveStream.Figures::id));
    return out;
  }

  /** Frames of streams the cap kept out. */
  long overCap() {
    return overCap.get();
  }

  long unattributedDeadLetters() {
    return unattributedDeadLetters.get();
  }

  long pendingBytes() {
    return budget.used();
  }

  int maxStreams() {
    return maxStreams;
  }

  void releaseAll() {
    streams.values().forEach(LiveStream::release);
    streams.clear();
  }
}
