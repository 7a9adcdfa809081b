package org.segstream.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.segstream.ingest.DropPolicy;
import org.segstream.ingest.FrameSource;
import org.segstream.ingest.IngestSettings;
import org.segstream.ingest.IngestRunner;
import org.segstream.ingest.LiveSettings;
import org.segstream.ingest.Pacing;
import picocli.CommandLine.Option;

/** The sources of {@code ingest} and {@code run}, and how live ones are kept alive: a mixin. */
final class LiveSourceOptions {
  @Option(
      names = "--input",
      paramLabel = "URI",
      description = {
        "A source (repeatable): a video file, rtsp://..., http(s)://... (MJPEG, HLS, MP4), /dev/videoN or camera:N.",
        "Credentials in URIs are masked in every log line and record."
      })
  List<String> inputs = new ArrayList<>();

  @Option(names = "--stream-id", paramLabel = "ID", description = "The stream id (record key) of each --input, in order.")
  List<String> streamIds = new ArrayList<>();

  @Option(names = "--sources", paramLabel = "FILE", description = "A file of sources, one 'stream-id uri' per line (# comments).")
  Path sourcesFile;

  @Option(names = "--rtsp-transport", defaultValue = "tcp", paramLabel = "tcp|udp", description = "RTSP transport (default ${DEFAULT-VALUE}).")
  String rtspTransport;

  @Option(
      names = "--stall-timeout",
      defaultValue = "5s",
      paramLabel = "DURATION",
      description = "A live source with no frame for this long has stalled and is reconnected (default ${DEFAULT-VALUE}).")
  String stallTimeout;

  @Option(
      names = "--max-retries",
      defaultValue = "-1",
      paramLabel = "N",
      description = "Reconnect attempts in a row before a live source gives up; -1 = never (default ${DEFAULT-VALUE}). "
          + "Waits 1 s, doubling up to 30 s.")
  int maxRetries;

  @Option(
      names = "--drop-policy",
      defaultValue = "oldest",
      paramLabel = "oldest|newest",
      description = "When publishing falls behind a live source, drop the oldest queued or the newest frame (default ${DEFAULT-VALUE}). Files never drop.")
  String dropPolicy;

  @Option(names = "--max-fps", defaultValue = "0", paramLabel = "FPS", description = "Sample live sources down to this rate; 0 = every frame (default ${DEFAULT-VALUE}).")
  double maxFps;

  @Option(names = "--queue-size", defaultValue = "" + LiveSettings.DEFAULT_QUEUE_CAPACITY, paramLabel = "N", description = "Frames queued per live source between grabbing and publishing (default ${DEFAULT-VALUE}).")
  int queueSize;

  @Option(names = "--stats-interval", defaultValue = "10s", paramLabel = "DURATION", description = "How often each source's line is logged; 0 = never (default ${DEFAULT-VALUE}).")
  String statsInterval;

  LiveSettings liveOptions() {
    return new LiveSettings(rtspTransport, LiveSettings.parseDuration("stall-timeout", stallTimeout), maxRetries,
        DropPolicy.parse(dropPolicy), maxFps, queueSize);
  }

  Duration statsInterval() {
    return LiveSettings.parseDuration("stats-interval", statsInterval);
  }

  /**
   * The streams to ingest: each {@code --input} with its {@code --stream-id} (a single input may use
   * {@code defaultStreamId}), then the lines of {@code --sources}.
   */
  List<IngestRunner.Stream> streams(IngestSettings template, String defaultStreamId) {
    LiveSettings live = liveOptions();
    List<IngestRunner.Stream> streams = new ArrayList<>();
    List<String> ids = new ArrayList<>(streamIds);
    if (ids.isEmpty() && inputs.size() == 1 && defaultStreamId != null) {
      ids.add(defaultStreamId);
    }
    if (ids.size() != inputs.size()) {
      throw new UsageException(inputs.size() + " --input but " + streamIds.size() + " --stream-id: give one --stream-id per --input");
    }
    for (int i = 0; i < inputs.size(); i++) {
      streams.add(stream(inputs.get(i), ids.get(i), template, live));
    }
    if (sourcesFile != null) {
      List<String> lines;
      try {
        lines = Files.readAllLines(sourcesFile);
      } catch (IOException e) {
        throw new UsageException("cannot read --sources " + sourcesFile + ": " + e.getMessage());
      }
      for (int n = 0; n < lines.size(); n++) {
        String line = lines.get(n).strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\\s+", 2);
        if (parts.length != 2) {
          throw new UsageException("--sources " + sourcesFile + " line " + (n + 1) + ": give 'stream-id uri'");
        }
        streams.add(stream(parts[1], parts[0], template, live));
      }
    }
    if (streams.isEmpty()) {
      throw new UsageException("no sources given: give --input URI (with --stream-id ID) or --sources FILE");
    }
    return streams;
  }

  private static IngestRunner.Stream stream(String input, String id, IngestSettings template, LiveSettings live) {
    FrameSource source = FrameSource.of(input, live);
    IngestSettings options = template.withStreamId(id);
    if (source.live() && options.pacing() instanceof Pacing.Native) {
      throw new UsageException("--rate native is for files: a live source runs at its own pace (use --max-fps to slow it)");
    }
    return new IngestRunner.Stream(source, options);
  }
}
