package org.segstream.ingest;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.segstream.config.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@link LiveSource} on its own grab thread into a {@link FrameQueue} and keeps it alive:
 * a failed open, an error, a stall (FFmpeg's I/O timeout) or an unexpected end leads to a reconnect
 * after 1 s, 2 s, 4 s ... up to 30 s, until {@code maxRetries} attempts in a row have failed (a frame
 * resets the count). The frame after a reconnect carries {@code discontinuity}. A watchdog thread
 * reports a stall as soon as no frame has come for the stall timeout, even while FFmpeg still waits.
 *
 * <p>The grab thread is the grabber's one owner: it opens and closes every connection. {@link #close()}
 * asks it to stop and waits up to the stall timeout (FFmpeg returns by then) plus a margin.
 */
final class LiveReader implements FrameReader {
  private static final Logger log = LoggerFactory.getLogger(LiveReader.class);
  private static final long WATCH_PERIOD_MS = 250;

  private final LiveSource source;
  private final LiveSettings options;
  private final SourceStats stats;
  private final FrameQueue queue;
  private final Thread grabThread;
  private final ScheduledExecutorService watchdog;
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile IngestException failure;
  private volatile double frameRate;
  private volatile int width;
  private volatile int height;
  // the grab thread's own state, carried from one connection to the next
  private final FrameSampler sampler;
  private int failures; // attempts in a row without a frame
  private long lastPtsUs = Long.MIN_VALUE;
  private boolean recording; // a finite source (a recording over HTTP)
  private boolean resumeRecording; // reconnected to a recording: skip the frames already read
  private long connectionFrames;
  private String lastError;

  LiveReader(LiveSource source) {
    this.source = source;
    this.options = source.options();
    this.stats = source.stats();
    this.queue = new FrameQueue(options.queueCapacity(), options.dropPolicy(), stats);
    this.sampler = new FrameSampler(options.maxFps());
    this.grabThread = new Thread(this::grabLoop, "segstream-grab-" + source.kind().name().toLowerCase(Locale.ROOT));
    grabThread.setDaemon(true); // a grab stuck in native code must not hold the JVM open on exit
    this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "segstream-watchdog");
      t.setDaemon(true);
      return t;
    });
    grabThread.start();
    watchdog.scheduleAtFixedRate(this::checkStall, WATCH_PERIOD_MS, WATCH_PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  public CapturedFrame next() {
    try {
      while (true) {
        CapturedFrame frame = queue.poll(200, TimeUnit.MILLISECONDS);
        if (frame != null) {
          stats.published();
          return frame;
        }
        if (queue.drained()) {
          if (failure != null) {
            throw failure;
          }
          return null;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the publisher is being stopped: end the stream here
      return null;
    }
  }

  @Override
  public double frameRate() {
    return frameRate;
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public int height() {
    return height;
  }

  @Override
  public void close() {
    closing.countDown();
    queue.finish();
    watchdog.shutdownNow();
    boolean interrupted = Thread.interrupted(); // closing after a stop by interrupt must still wait for the grabber
    try {
      grabThread.join(options.stallTimeout().toMillis() + 3000);
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (grabThread.isAlive()) {
      log.warn("{}: the grab thread is still inside FFmpeg; it closes the connection when FFmpeg returns", source.uri());
    }
    if (!stats.gaveUp() && stats.state() != SourceState.ENDED) {
      stats.transition(SourceState.ENDED, "stopped");
    }
  }

  private boolean closing() {
    return closing.getCount() == 0;
  }

  private void checkStall() {
    SourceState state = stats.state();
    long since = stats.nanosSinceLastFrame();
    if (state == SourceState.STREAMING && since > options.stallTimeout().toNanos()) {
      stats.transition(SourceState.STALLED, String.format(Locale.ROOT, "no frame for %.1f s", since / 1e9));
    }
  }

  private void grabLoop() {
    try {
      while (!closing()) {
        stats.transition(SourceState.CONNECTING, failures == 0 ? null : "attempt " + (failures + 1));
        if (readConnection() || closing()) {
          return;
        }
        if (connectionFrames > 0 && recording) {
          resumeRecording = true;
        }
        if (!waitBeforeRetry()) {
          return;
        }
        stats.reconnected();
        queue.gap();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      queue.finish();
    }
  }

  /**
   * Opens a connection and reads it until it fails, ends or the reader closes; true when a recording
   * ended (nothing is left to read). A failure is kept in {@code lastError} for the retry.
   */
  private boolean readConnection() throws InterruptedException {
    connectionFrames = 0;
    try (LiveSource.Connection connection = source.connect()) {
      frameRate = connection.frameRate();
      width = connection.width();
      height = connection.height();
      if (connection.finite()) {
        recording = true;
        queue.blockWhenFull(); // a recording over HTTP loses nothing: the publisher sets the pace
      }
      while (!closing()) {
        CapturedFrame frame = connection.next();
        if (frame == null) {
          if (connection.finite() && !closing()) {
            stats.transition(SourceState.ENDED, "end of the recording after " + stats.snapshot().framesIn() + " frames");
            return true;
          }
          throw new IngestException(source.uri() + " ended unexpectedly after " + connectionFrames
              + " frame(s) on this connection");
        }
        take(connection, frame);
      }
    } catch (RuntimeException e) { // IngestException from FFmpeg; anything else is retried the same way
      lastError = e instanceof IngestException ? e.getMessage()
          : e.getClass().getSimpleName() + ": " + Secrets.maskUris(e.getMessage());
      if (!closing() && stats.state() == SourceState.STREAMING
          && stats.nanosSinceLastFrame() >= options.stallTimeout().toNanos() * 9 / 10) {
        stats.transition(SourceState.STALLED, "no frame for " + seconds(stats.nanosSinceLastFrame()) + " s");
      }
    }
    return false;
  }

  /** Counts a grabbed frame and queues it, unless a resumed recording repeats it or the frame-rate cap drops it. */
  private void take(LiveSource.Connection connection, CapturedFrame frame) throws InterruptedException {
    if (resumeRecording && frame.captureTimeUs() <= lastPtsUs) {
      return; // a recording restarted from its beginning: skip what was already read
    }
    resumeRecording = false;
    connectionFrames++;
    stats.frameIn();
    if (connectionFrames == 1) {
      failures = 0;
      stats.transition(SourceState.STREAMING, String.format(Locale.ROOT, "%dx%d, %.2f fps",
          connection.width(), connection.height(), connection.frameRate()));
    } else if (stats.state() == SourceState.STALLED) {
      stats.transition(SourceState.STREAMING, "frames again");
    }
    lastPtsUs = frame.captureTimeUs();
    if (!sampler.keep(frame.captureTimeUs())) {
      stats.dropped(DropReason.MAX_FPS, 1);
      return;
    }
    queue.put(frame);
  }

  /**
   * Waits the backoff before the next attempt; false when the retries are spent (the reader then fails
   * with the last error) or the reader closes while waiting.
   */
  private boolean waitBeforeRetry() throws InterruptedException {
    if (!options.mayRetry(failures)) {
      stats.markGaveUp();
      String why = String.format(Locale.ROOT, "gave up after %d retr%s: %s", failures, failures == 1 ? "y" : "ies",
          lastError);
      stats.transition(SourceState.ENDED, why);
      failure = new IngestException(source.uri() + " " + why
          + " (check that the source is up and the URI right; a retry limit of -1 retries forever)");
      return false;
    }
    failures++;
    Duration wait = LiveSettings.backoff(failures);
    stats.transition(SourceState.RECONNECTING, String.format(Locale.ROOT, "retry %d%s in %.0f s after: %s", failures,
        options.maxRetries() < 0 ? "" : " of " + options.maxRetries(), wait.toMillis() / 1000.0, lastError));
    return !closing.await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
  }
}
