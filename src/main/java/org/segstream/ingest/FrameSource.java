package org.segstream.ingest;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import org.segstream.config.Secrets;
import org.segstream.config.UsageException;

/**
 * Where frames come from. A closed set of kinds, each knowing how to open itself: files now; RTSP,
 * HTTP and cameras join as further permitted records, each with its own {@link FrameReader} (the
 * reconnect policy of live sources wraps {@link #open()}).
 */
public sealed interface FrameSource permits FileSource, ImageSequenceSource {
  Pattern URI_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  /** Where it comes from, credentials masked: this goes into records and log lines. */
  String uri();

  /** Live sources run at their own pace and drop when behind; recorded ones are paced by the ingestor. */
  boolean live();

  /** The pacing used when the caller does not choose one. */
  Pacing defaultPacing();

  /**
   * Opens the source.
   *
   * @throws IngestException naming the source and what to do when it cannot be opened
   */
  FrameReader open();

  /** The source an {@code --input} argument names. */
  static FrameSource of(String input) {
    if (input == null || input.isBlank()) {
      throw new UsageException("no --input given: give the path of a video file");
    }
    String lower = input.toLowerCase(Locale.ROOT);
    if (lower.startsWith("file:")) {
      return new FileSource(Path.of(java.net.URI.create(input)));
    }
    if (URI_SCHEME.matcher(input).find() && !looksLikeWindowsDrive(input) || lower.startsWith("/dev/video")) {
      throw new UsageException("--input " + Secrets.maskUris(input)
          + ": live sources (RTSP, HTTP, cameras) are not supported by this version; give the path of a video file");
    }
    return new FileSource(Path.of(input));
  }

  private static boolean looksLikeWindowsDrive(String input) {
    return input.length() > 2 && input.charAt(1) == ':' && (input.charAt(2) == '\\' || input.charAt(2) == '/');
  }
}
