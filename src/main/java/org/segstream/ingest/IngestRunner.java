package org.segstream.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.segstream.config.Secrets;
import org.segstream.config.InvalidSettingException;
import org.segstream.kafka.ClientMetrics;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests several sources at once, each on its own thread with its own {@link Ingestor}, so a source
 * that fails, stalls or gives up never disturbs the others. Logs one line per source every
 * {@code statsInterval}. {@link #stop()} ends every stream (each still publishes its end of stream).
 */
public final class IngestRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IngestRunner.class);

  /** One source and how to ingest it. */
  public record Stream(FrameSource source, IngestSettings options) {}

  /**
   * How one stream ended.
   *
   * @param summary what was published; null when the ingest failed
   * @param failure the reason it failed (masked), null when it ended normally or was stopped
   * @param gaveUp a live source that ran out of retries
   */
  public record Outcome(String streamId, String uri, IngestSummary summary, String failure, boolean gaveUp) {
    public boolean failed() {
      return failure != null;
    }
  }

  private final KafkaSettings settings;
  private final List<Stream> streams;
  private final Duration statsInterval;
  private final FrameListener listener;
  private final ClientMetrics clientMetrics;
  private final List<Ingestor> ingestors = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Map<String, SourceStats> stats = new HashMap<>();
  private final Outcome[] outcomes;
  private final ScheduledExecutorService reporter;
  private volatile boolean stopping;

  /**
   * Starts every stream now.
   *
   * @param listener sees each published frame (on the stream's thread)
   * @throws InvalidSettingException when there is no stream or two streams share an id
   */
  public IngestRunner(KafkaSettings settings, List<Stream> streams, Duration statsInterval, FrameListener listener) {
    this(settings, streams, statsInterval, listener, ClientMetrics.NONE);
  }

  /**
   * Starts every stream now; each stream's producer publishes its own metrics to {@code clientMetrics}.
   *
   * @throws InvalidSettingException when there is no stream or two streams share an id
   */
  public IngestRunner(KafkaSettings settings, List<Stream> streams, Duration statsInterval, FrameListener listener,
      ClientMetrics clientMetrics) {
    if (streams.isEmpty()) {
      throw new InvalidSettingException("input", "no sources given: give at least one");
    }
    Set<String> ids = new HashSet<>();
    for (Stream s : streams) {
      if (!ids.add(s.options().streamId())) {
        throw new InvalidSettingException("stream-id",
            "the stream id " + s.options().streamId() + " is given twice: every source needs its own");
      }
    }
    this.settings = settings;
    this.streams = List.copyOf(streams);
    this.statsInterval = statsInterval;
    this.listener = listener;
    this.clientMetrics = clientMetrics;
    this.outcomes = new Outcome[streams.size()];
    this.reporter = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "segstream-ingest-stats");
      t.setDaemon(true);
      return t;
    });
    for (int i = 0; i < this.streams.size(); i++) {
      start(i);
    }
    if (!statsInterval.isZero()) {
      Map<String, SourceStats.Snapshot> previous = new HashMap<>();
      long[] lastNanos = {System.nanoTime()};
      reporter.scheduleAtFixedRate(() -> report(previous, lastNanos), statsInterval.toMillis(), statsInterval.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /** The counters of a stream, by stream id. */
  public SourceStats stats(String streamId) {
    return stats.get(streamId);
  }

  /** True when every stream has ended. */
  public boolean finished() {
    return threads.stream().noneMatch(Thread::isAlive);
  }

  /** Ends every stream after its current frame; each still publishes its end-of-stream record. */
  public void stop() {
    stopping = true;
    ingestors.forEach(Ingestor::stop);
    for (int i = 0; i < threads.size(); i++) {
      if (streams.get(i).source().live()) {
        threads.get(i).interrupt(); // wakes a publisher waiting for a live source's next frame
      }
    }
  }

  /** Waits for every stream to end and returns how each did, in the order given. */
  public List<Outcome> awaitAll() throws InterruptedException {
    for (Thread t : threads) {
      t.join();
    }
    synchronized (outcomes) {
      return List.of(outcomes);
    }
  }

  /** Stops (if still running), waits for every stream, stops the periodic line. */
  @Override
  public void close() {
    stop();
    try {
      for (Thread t : threads) {
        t.join(30_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      reporter.shutdownNow();
    }
  }

  private void start(int index) {
    Stream stream = streams.get(index);
    String id = stream.options().streamId();
    SourceStats sourceStats = stream.source() instanceof LiveSource live ? live.stats() : new SourceStats(stream.source().uri());
    stats.put(id, sourceStats);
    Ingestor ingestor = new Ingestor(settings, Topics.FRAMES, clientMetrics);
    ingestors.add(ingestor);
    boolean countHere = !(stream.source() instanceof LiveSource); // a live reader counts its own frames
    FrameListener counting = frame -> {
      if (countHere) {
        sourceStats.frameIn();
        sourceStats.published();
        if (sourceStats.state() == SourceState.CONNECTING) {
          sourceStats.transition(SourceState.STREAMING, null);
        }
      }
      listener.published(frame);
    };
    Thread thread = new Thread(() -> {
      Outcome outcome;
      try {
        IngestSummary summary = ingestor.ingest(stream.source(), stream.options(), counting);
        outcome = new Outcome(id, stream.source().uri(), summary, null, false);
        if (countHere) {
          sourceStats.transition(SourceState.ENDED, summary.stopped() ? "stopped" : "end of file");
        }
      } catch (RuntimeException e) {
        String message = e instanceof IngestException || e instanceof InvalidSettingException ? Secrets.maskUris(e.getMessage())
            : e.getClass().getSimpleName() + ": " + Secrets.maskUris(e.getMessage());
        boolean gaveUp = sourceStats.gaveUp(); // a live source that ran out of retries has logged it already
        if (!gaveUp) {
          log.error("stream {} failed: {}", id, message);
          sourceStats.transition(SourceState.ENDED, "failed");
        }
        outcome = new Outcome(id, stream.source().uri(), null, message, gaveUp);
      }
      synchronized (outcomes) {
        outcomes[index] = outcome;
      }
    }, "segstream-ingest-" + id);
    threads.add(thread);
    thread.start();
  }

  private void report(Map<String, SourceStats.Snapshot> previous, long[] lastNanos) {
    long now = System.nanoTime();
    double seconds = (now - lastNanos[0]) / 1e9;
    lastNanos[0] = now;
    for (Stream s : streams) {
      String id = s.options().streamId();
      SourceStats.Snapshot snap = stats.get(id).snapshot();
      SourceStats.Snapshot before = previous.getOrDefault(id,
          new SourceStats.Snapshot(snap.state(), 0, 0, snap.dropped(), 0, false));
      if (!stopping) {
        log.info(SourceStats.line(id, s.source().uri(), snap, before, seconds));
      }
      previous.put(id, snap);
    }
  }
}
