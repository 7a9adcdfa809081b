package org.segstream.ingest;

import java.time.Duration;
import java.util.Locale;
import org.segstream.config.InvalidSettingException;

/**
 * How live sources (RTSP, HTTP, cameras) are read, kept alive and kept from falling behind.
 *
 * @param rtspTransport {@code tcp} (default: no packet loss, works through NAT) or {@code udp}
 * @param stallTimeout no frame for this long counts as a stall: FFmpeg's I/O timeout and the watchdog
 * @param maxRetries reconnect attempts in a row before giving up; -1 = never give up
 * @param dropPolicy what the queue drops when the publisher falls behind (live sources never block)
 * @param maxFps sample a faster source down to this rate; 0 = every frame
 * @param queueCapacity frames held between grabbing and publishing
 */
public record LiveSettings(
    String rtspTransport, Duration stallTimeout, int maxRetries, DropPolicy dropPolicy, double maxFps,
    int queueCapacity) {
  public static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_QUEUE_CAPACITY = 16;

  public LiveSettings {
    rtspTransport = rtspTransport.strip().toLowerCase(Locale.ROOT);
    if (!rtspTransport.equals("tcp") && !rtspTransport.equals("udp")) {
      throw new InvalidSettingException("rtsp-transport", "RTSP transport '" + rtspTransport + "': give tcp or udp");
    }
    if (stallTimeout.compareTo(Duration.ofMillis(100)) < 0) {
      throw new InvalidSettingException("stall-timeout", "stall timeout " + stallTimeout.toMillis() + " ms: give at least 100 ms");
    }
    if (maxRetries < -1) {
      throw new InvalidSettingException("max-retries", "retry limit " + maxRetries + ": give 0 or more (-1 = unlimited)");
    }
    if (dropPolicy == DropPolicy.BLOCK) {
      throw new InvalidSettingException("drop-policy", "live sources drop rather than block: give the drop policy oldest or newest");
    }
    if (maxFps < 0 || Double.isNaN(maxFps) || Double.isInfinite(maxFps)) {
      throw new InvalidSettingException("max-fps", "frame rate cap " + maxFps + ": give a positive number of frames/s (or 0 for no limit)");
    }
    if (queueCapacity < 1) {
      throw new InvalidSettingException("queue-size", "queue size " + queueCapacity + ": give at least 1");
    }
  }

  /** TCP, 5 s stall timeout, unlimited retries, drop oldest, every frame, 16 queued frames (about half a second at 30 fps). */
  public static LiveSettings defaults() {
    return new LiveSettings("tcp", DEFAULT_STALL_TIMEOUT, -1, DropPolicy.OLDEST, 0, DEFAULT_QUEUE_CAPACITY);
  }

  public LiveSettings withStallTimeout(Duration timeout) {
    return new LiveSettings(rtspTransport, timeout, maxRetries, dropPolicy, maxFps, queueCapacity);
  }

  public LiveSettings withMaxRetries(int retries) {
    return new LiveSettings(rtspTransport, stallTimeout, retries, dropPolicy, maxFps, queueCapacity);
  }

  public LiveSettings withDropPolicy(DropPolicy policy) {
    return new LiveSettings(rtspTransport, stallTimeout, maxRetries, policy, maxFps, queueCapacity);
  }

  public LiveSettings withMaxFps(double fps) {
    return new LiveSettings(rtspTransport, stallTimeout, maxRetries, dropPolicy, fps, queueCapacity);
  }

  public LiveSettings withQueueCapacity(int capacity) {
    return new LiveSettings(rtspTransport, stallTimeout, maxRetries, dropPolicy, maxFps, capacity);
  }

  public LiveSettings withRtspTransport(String transport) {
    return new LiveSettings(transport, stallTimeout, maxRetries, dropPolicy, maxFps, queueCapacity);
  }

  /** The wait before retry number {@code retry} (1, 2, ...): 1 s doubling up to 30 s. */
  public static Duration backoff(int retry) {
    int doublings = Math.max(0, Math.min(retry - 1, 30));
    long millis = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << doublings);
    return Duration.ofMillis(millis);
  }

  /** True when another attempt is allowed after {@code retriesSoFar} retries. */
  public boolean mayRetry(int retriesSoFar) {
    return maxRetries < 0 || retriesSoFar < maxRetries;
  }

  /**
   * {@code 5}, {@code 5s}, {@code 500ms} or {@code 1m}.
   *
   * @param setting the key of the setting the text is the value of, e.g. {@code stall-timeout}
   */
  public static Duration parseDuration(String setting, String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).strip()));
      }
      if (t.endsWith("m")) {
        return Duration.ofSeconds(Math.round(Double.parseDouble(t.substring(0, t.length() - 1).strip()) * 60));
      }
      String seconds = t.endsWith("s") ? t.substring(0, t.length() - 1).strip() : t;
      return Duration.ofMillis(Math.round(Double.parseDouble(seconds) * 1000));
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(setting, "duration '" + text + "': give a duration such as 5s, 500ms or 1m");
    }
  }
}
