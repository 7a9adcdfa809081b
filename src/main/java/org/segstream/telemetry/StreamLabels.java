package org.segstream.telemetry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code stream} label values of the metrics: stream ids come from record data, so anyone who
 * can write to the frames topic could otherwise grow the registry (and every scrape) without bound.
 * The first {@code maxStreams} distinct ids keep a label of their own, for good (first come: a
 * series never changes meaning between scrapes); every later id is counted as {@value #OTHER}.
 * Values are cut to {@value #MAX_LABEL_CHARS} characters and hold only letters, digits and printable
 * ASCII without quotes or backslashes, so no id can bend the Prometheus text format. Thread-safe.
 */
public final class StreamLabels {
  private static final Logger log = LoggerFactory.getLogger(StreamLabels.class);
  /** The label of every stream beyond the cap. */
  public static final String OTHER = "other";
  /** The default cap: a thousand cameras, a few thousand series, well within one scrape. */
  public static final int DEFAULT_MAX_STREAMS = 1000;
  /** The longest label value, in characters (code points). */
  public static final int MAX_LABEL_CHARS = 64;

  private final int maxStreams;
  private final Map<String, Boolean> admitted = new ConcurrentHashMap<>();
  private boolean capReported;

  /** @param maxStreams how many distinct stream labels at most, 0 or more */
  public StreamLabels(int maxStreams) {
    if (maxStreams < 0) {
      throw new IllegalArgumentException("the stream label cap must be 0 or more, not " + maxStreams);
    }
    this.maxStreams = maxStreams;
  }

  public int maxStreams() {
    return maxStreams;
  }

  /** How many streams have a label of their own so far. */
  public int size() {
    return admitted.size();
  }

  /** The label value of the stream: its sanitized id while under the cap (or already admitted), else {@value #OTHER}. */
  public String label(String streamId) {
    String label = sanitize(streamId);
    if (admitted.containsKey(label)) {
      return label;
    }
    synchronized (this) {
      if (admitted.containsKey(label)) {
        return label;
      }
      if (admitted.size() < maxStreams) {
        admitted.put(label, Boolean.TRUE);
        return label;
      }
      if (!capReported) {
        capReported = true;
        log.warn("{} streams have metric labels of their own (the max-streams setting, {}): stream {} and every later one "
            + "are counted as stream=\"{}\"", maxStreams, maxStreams, label, OTHER);
      }
    }
    return OTHER;
  }

  /** At most {@value #MAX_LABEL_CHARS} letters, digits and printable ASCII (no quote, backslash); anything else is {@code _}. */
  static String sanitize(String value) {
    if (value == null || value.isEmpty()) {
      return "_";
    }
    StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_LABEL_CHARS));
    int chars = 0;
    for (int i = 0; i < value.length() && chars < MAX_LABEL_CHARS; chars++) {
      int c = value.codePointAt(i);
      i += Character.charCount(c);
      boolean printableAscii = c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
      if (printableAscii || (c >= 0x80 && Character.isLetterOrDigit(c))) {
        out.appendCodePoint(c);
      } else {
        out.append('_');
      }
    }
    return out.toString();
  }
}
