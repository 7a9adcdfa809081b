package org.segstream.pipeline;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.segstream.avro.SegmentationResult;
import org.segstream.kafka.ClientMetrics;
import org.segstream.kafka.KafkaSettings;
import org.segstream.results.ResultsConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run}'s view of {@code segstream.masks}: on its own thread, a {@link ResultsConsumer} from the topic's end
 * counts the results of the run's streams for a periodic log line and sees their end of stream. A record that is
 * no SegmentationResult is skipped and counted ({@link #corrupt()}); the thread stops only on {@link #close()}.
 */
public final class ResultMeter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResultMeter.class);

  private final ResultsConsumer consumer;
  private final Thread thread;
  private final Set<String> streamIds;
  private final Set<String> ended = ConcurrentHashMap.newKeySet();
  private final AtomicLong count = new AtomicLong();
  private volatile long lastResultNanos = System.nanoTime();
  private volatile double lastLatencyMs;

  /**
   * Starts reading at the topic's end.
   *
   * @param streamIds the streams whose results count; others are ignored
   * @param interval how often to log the result rate (0: never)
   */
  public ResultMeter(KafkaSettings settings, Set<String> streamIds, Duration interval) {
    this(settings, streamIds, interval, ClientMetrics.NONE);
  }

  /**
   * Starts reading at the topic's end; the consumer publishes its own metrics (lag on the masks topic) to
   * {@code clientMetrics}.
   */
  public ResultMeter(KafkaSettings settings, Set<String> streamIds, Duration interval, ClientMetrics clientMetrics) {
    this.streamIds = Set.copyOf(streamIds);
    consumer = ResultsConsumer.fromNow(settings, "segstream-run-meter", false);
    consumer.bindMetrics(clientMetrics);
    thread = new Thread(() -> consumer.readUntilStopped(new Meter(interval)), "segstream-run-results");
    thread.start();
  }

  private final class Meter implements ResultsConsumer.Handler {
    private final Duration interval;
    private long nextLine;
    private long countAtLine;

    Meter(Duration interval) {
      this.interval = interval;
      this.nextLine = System.nanoTime() + interval.toNanos();
    }

    @Override
    public boolean result(SegmentationResult r) {
      if (!streamIds.contains(r.getStreamId())) {
        return true;
      }
      if (r.getEndOfStream()) {
        ended.add(r.getStreamId());
      } else {
        count.incrementAndGet();
        lastLatencyMs = r.getResultWallTimeMs() - r.getCaptureWallTimeMs();
      }
      lastResultNanos = System.nanoTime();
      return true;
    }

    @Override
    public boolean afterPoll() {
      if (!interval.isZero() && System.nanoTime() >= nextLine) {
        long n = count.get();
        log.info(String.format(Locale.ROOT, "results: %d (%.1f/s), latest capture -> result %.0f ms", n,
            (n - countAtLine) / (interval.toNanos() / 1e9), lastLatencyMs));
        countAtLine = n;
        nextLine += interval.toNanos();
      }
      return true;
    }
  }

  /** Whether every one of these streams has sent its end of stream. */
  public boolean allEnded(Set<String> ids) {
    return ended.containsAll(ids);
  }

  /** Time since the last result of the run's streams (or since the meter started). */
  public Duration idleFor() {
    return Duration.ofNanos(System.nanoTime() - lastResultNanos);
  }

  /** Results of our streams seen so far (end-of-stream markers not counted). */
  public long count() {
    return count.get();
  }

  /** Records on the masks topic that were no SegmentationResult, skipped. */
  public long corrupt() {
    return consumer.skipped();
  }

  /** The reading thread runs (until {@link #close()}). */
  public boolean running() {
    return thread.isAlive();
  }

  @Override
  public void close() {
    consumer.stop();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      consumer.close();
    }
  }
}
