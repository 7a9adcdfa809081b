package org.segstream.cli;

import org.segstream.ingest.LiveSettings;
import org.segstream.view.ViewSettings;
import picocli.CommandLine.Option;

/** {@code --view-port}, {@code --view-host} and {@code --view-token}: where the live view serves. */
final class ViewOptions {
  @Option(names = "--view-port", paramLabel = "PORT",
      description = "Serve the live view (every stream with its masks, contours and instance ids, live) at "
          + "http://HOST:PORT/ (0 picks a free port).")
  Integer viewPort;

  @Option(names = "--view-host", paramLabel = "HOST", defaultValue = ViewSettings.DEFAULT_HOST,
      description = "Address the view listens on (default ${DEFAULT-VALUE}: this machine only). Any other address "
          + "requires --view-token.")
  String viewHost;

  @Option(names = "--view-token", paramLabel = "TOKEN",
      description = "The token a browser must give (open the view as /?token=TOKEN), at least "
          + ViewSettings.MIN_TOKEN_CHARS + " characters; required beyond loopback. Prefer SEGSTREAM_VIEW_TOKEN to the "
          + "command line, which other users see.")
  String viewToken;

  @Option(names = "--view-join-timeout", paramLabel = "DURATION", defaultValue = "10s",
      description = "The view gives up on a frame whose result has not come within this time (default ${DEFAULT-VALUE}).")
  String joinTimeout;

  /** The view's settings at {@code port}, capped at {@code maxStreams} streams. */
  ViewSettings settings(int port, int maxStreams) {
    return new ViewSettings(viewHost, port, viewToken, maxStreams, LiveSettings.parseDuration("view-join-timeout", joinTimeout));
  }

  /** The view's settings when {@code --view-port} is given, else null. */
  ViewSettings settingsIfEnabled(int maxStreams) {
    return viewPort == null ? null : settings(viewPort, maxStreams);
  }
}
