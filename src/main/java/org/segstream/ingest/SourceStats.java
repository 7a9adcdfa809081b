package org.segstream.ingest;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counters and state of one source, written by its grab thread and read by anyone (the periodic
 * log line, the exit code, tests). Every state change is logged here, once, with the masked URI.
 */
public final class SourceStats {
  private static final Logger log = LoggerFactory.getLogger(SourceStats.class);

  private final String uri;
  private final AtomicLong framesIn = new AtomicLong();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong droppedQueueFull = new AtomicLong();
  private final AtomicLong droppedMaxFps = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private volatile SourceState state = SourceState.CONNECTING;
  private volatile boolean gaveUp;
  private volatile long lastFrameNanos = System.nanoTime();

  /** @param uri the masked URI that names the source in log lines */
  public SourceStats(String uri) {
    this.uri = uri;
  }

  /** A consistent-enough view for a log line or a test (each counter is read once). */
  public record Snapshot(
      SourceState state, long framesIn, long published, Map<DropReason, Long> dropped, long reconnects,
      boolean gaveUp) {
    public long droppedTotal() {
      return dropped.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  public Snapshot snapshot() {
    Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
    dropped.put(DropReason.QUEUE_FULL, droppedQueueFull.get());
    dropped.put(DropReason.MAX_FPS, droppedMaxFps.get());
    return new Snapshot(state, framesIn.get(), published.get(), Map.copyOf(dropped), reconnects.get(), gaveUp);
  }

  public SourceState state() {
    return state;
  }

  public boolean gaveUp() {
    return gaveUp;
  }

  void frameIn() {
    framesIn.incrementAndGet();
    lastFrameNanos = System.nanoTime();
  }

  /** The publisher took a frame off the queue. */
  void published() {
    published.incrementAndGet();
  }

  void dropped(DropReason reason, long frames) {
    (reason == DropReason.QUEUE_FULL ? droppedQueueFull : droppedMaxFps).addAndGet(frames);
  }

  void reconnected() {
    reconnects.incrementAndGet();
  }

  long nanosSinceLastFrame() {
    return System.nanoTime() - lastFrameNanos;
  }

  void markGaveUp() {
    gaveUp = true;
  }

  /** Moves to {@code next} and logs it, unless the source is there already; returns whether it moved. */
  synchronized boolean transition(SourceState next, String detail) {
    if (state == next && next != SourceState.CONNECTING && next != SourceState.RECONNECTING) {
      return false;
    }
    state = next;
    if (next == SourceState.STREAMING || next == SourceState.CONNECTING) {
      lastFrameNanos = System.nanoTime();
    }
    String line = uri + ": " + next + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
    if (next == SourceState.STALLED || next == SourceState.RECONNECTING || next == SourceState.ENDED && gaveUp) {
      log.warn(line);
    } else {
      log.info(line);
    }
    return true;
  }

  /** The periodic line: rates since the previous snapshot over {@code seconds}. */
  public static String line(String streamId, String uri, Snapshot now, Snapshot before, double seconds) {
    double inRate = seconds > 0 ? (now.framesIn() - before.framesIn()) / seconds : 0;
    double outRate = seconds > 0 ? (now.published() - before.published()) / seconds : 0;
    return String.format(Locale.ROOT,
        "stream %s %s: %s, %.1f frames/s in, %.1f published/s; totals: %d in, %d published, %d dropped "
            + "(%d queue full, %d max-fps), %d reconnects",
        streamId, uri, now.state(), inRate, outRate, now.framesIn(), now.published(), now.droppedTotal(),
        now.dropped().get(DropReason.QUEUE_FULL), now.dropped().get(DropReason.MAX_FPS), now.reconnects());
  }
}
