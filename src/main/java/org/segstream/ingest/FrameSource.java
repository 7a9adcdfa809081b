package org.segstream.ingest;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import org.segstream.config.Secrets;
import org.segstream.config.InvalidSettingException;

/**
 * Where frames come from. A closed set of kinds, each knowing how to open itself: recorded files,
 * numbered image sequences, and live sources (RTSP, HTTP, cameras) whose reader reconnects, queues
 * and drops (see {@link LiveSource}).
 */
public sealed interface FrameSource permits FileSource, ImageSequenceSource, LiveSource {
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

  /** The source an {@code --input} argument names, live sources with the default {@link LiveSettings}. */
  static FrameSource of(String input) {
    return of(input, LiveSettings.defaults());
  }

  /** The source an {@code --input} argument names: a file, {@code rtsp://}, {@code http(s)://}, a camera. */
  static FrameSource of(String input, LiveSettings live) {
    if (input == null || input.isBlank()) {
      throw new InvalidSettingException("input", "no source given: give a video file, rtsp://..., http(s)://..., /dev/videoN or camera:N");
    }
    String lower = input.toLowerCase(Locale.ROOT);
    if (lower.startsWith("file:")) {
      return new FileSource(Path.of(java.net.URI.create(input)));
    }
    if (LiveSource.isLive(input)) {
      return LiveSource.of(input, live);
    }
    if (URI_SCHEME.matcher(input).find() && !looksLikeWindowsDrive(input) || lower.startsWith("/dev/video")) {
      throw new InvalidSettingException("input", "source " + Secrets.maskUris(input)
          + ": unknown kind of source; give a video file, rtsp://..., http(s)://..., /dev/videoN or camera:N");
    }
    return new FileSource(Path.of(input));
  }

  private static boolean looksLikeWindowsDrive(String input) {
    return input.length() > 2 && input.charAt(1) == ':' && (input.charAt(2) == '\\' || input.charAt(2) == '/');
  }
}
