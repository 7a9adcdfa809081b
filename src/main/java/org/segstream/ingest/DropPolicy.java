package org.segstream.ingest;

import java.util.Locale;
import org.segstream.config.InvalidSettingException;

/** What a source's frame queue does when the publisher falls behind. */
public enum DropPolicy {
  /** Drop the oldest queued frame: what is published stays as close to now as possible (live default). */
  OLDEST,
  /** Drop the arriving frame: the queued frames go out, the newest are lost. */
  NEWEST,
  /** Wait for room: nothing is lost, the source is read more slowly (recordings). */
  BLOCK;

  /** {@code oldest} or {@code newest} (the {@code drop-policy} setting). */
  public static DropPolicy parse(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "oldest" -> OLDEST;
      case "newest" -> NEWEST;
      default -> throw new InvalidSettingException("drop-policy", "drop policy '" + text + "': give oldest or newest");
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
