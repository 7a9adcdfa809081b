package org.segstream.ingest;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.segstream.config.Secrets;
import org.segstream.config.InvalidSettingException;
import org.segstream.image.ImageCodec;
import org.segstream.video.FfmpegLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A source that lives outside the process: an RTSP feed, an HTTP stream (MJPEG, HLS, progressive MP4)
 * or a local V4L2 camera. {@link #open()} returns at once with a reader whose own thread connects,
 * grabs into a bounded queue, and reconnects with back-off when the source fails, stalls or ends.
 *
 * <p>Not a record: the URI with its credentials must never reach a {@code toString} or an accessor
 * that could end up in a log line. Only FFmpeg sees it.
 */
public final class LiveSource implements FrameSource {
  private static final Logger log = LoggerFactory.getLogger(LiveSource.class);
  private static final Pattern CAMERA = Pattern.compile("(?:camera:|/dev/video)(\\d+)");
  private static final Pattern ERROR_CODE = Pattern.compile("error (-\\d+)");

  /** The kinds of live source, each opened differently. */
  public enum Kind {
    RTSP,
    HTTP,
    CAMERA
  }

  private final String location;
  private final String maskedUri;
  private final Kind kind;
  private final LiveSettings options;
  private final SourceStats stats;

  private LiveSource(String location, Kind kind, LiveSettings options) {
    this.location = location;
    this.maskedUri = Secrets.maskUris(location);
    this.kind = kind;
    this.options = options;
    this.stats = new SourceStats(maskedUri);
  }

  /** True when the input names a live source rather than a file. */
  public static boolean isLive(String input) {
    String lower = input.strip().toLowerCase(Locale.ROOT);
    return lower.startsWith("rtsp://") || lower.startsWith("rtsps://") || lower.startsWith("http://")
        || lower.startsWith("https://") || CAMERA.matcher(lower).matches();
  }

  /** The source an {@code --input} names: {@code rtsp://}, {@code http(s)://}, {@code /dev/videoN} or {@code camera:N}. */
  public static LiveSource of(String input, LiveSettings options) {
    String trimmed = input.strip();
    String lower = trimmed.toLowerCase(Locale.ROOT);
    Matcher camera = CAMERA.matcher(lower);
    if (camera.matches()) {
      return new LiveSource("/dev/video" + camera.group(1), Kind.CAMERA, options);
    }
    if (lower.startsWith("rtsp://") || lower.startsWith("rtsps://")) {
      return new LiveSource(trimmed, Kind.RTSP, options);
    }
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      return new LiveSource(trimmed, Kind.HTTP, options);
    }
    throw new InvalidSettingException("input", "source " + Secrets.maskUris(trimmed)
        + ": not a live source; give rtsp://..., http(s)://..., /dev/videoN or camera:N");
  }

  @Override
  public String uri() {
    return maskedUri;
  }

  public Kind kind() {
    return kind;
  }

  public LiveSettings options() {
    return options;
  }

  /** This source's counters and state (one per source, across every reader and reconnect). */
  public SourceStats stats() {
    return stats;
  }

  @Override
  public boolean live() {
    return true;
  }

  /** Frames come at the source's own pace: publish them as they arrive. */
  @Override
  public Pacing defaultPacing() {
    return Pacing.max();
  }

  /** Starts the grab thread; connecting happens there, so this never fails for an unreachable source. */
  @Override
  public FrameReader open() {
    return new LiveReader(this);
  }

  @Override
  public String toString() {
    return "LiveSource[" + kind + " " + maskedUri + "]";
  }

  /**
   * One connection attempt.
   *
   * @throws IngestException with the masked URI and FFmpeg's reason when it cannot be opened
   */
  Connection connect() {
    FfmpegLog.routeToSlf4j();
    FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(location);
    grabber.setPixelFormat(AV_PIX_FMT_RGB24);
    String timeoutUs = Long.toString(options.stallTimeout().toNanos() / 1000);
    switch (kind) {
      case RTSP -> {
        grabber.setOption("rtsp_transport", options.rtspTransport());
        grabber.setOption("timeout", timeoutUs); // socket I/O timeout: a silent server fails the read
        // FFmpeg hands out what it read while probing as one burst: probe 0.5 s, not the default seconds
        grabber.setOption("analyzeduration", "500000");
      }
      case HTTP -> grabber.setOption("rw_timeout", timeoutUs); // any read or connect that blocks longer fails
      case CAMERA -> grabber.setFormat("video4linux2");
    }
    try {
      grabber.start();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      closeQuietly(grabber);
      // no cause attached: JavaCV's message carries the raw URL, and a --verbose stack trace would print it
      throw new IngestException("cannot open " + maskedUri + ": " + ffmpegReason(e.getMessage()));
    }
    if (!grabber.hasVideo() || grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
      closeQuietly(grabber);
      throw new IngestException(maskedUri + " has no video stream (format " + grabber.getFormat() + ")");
    }
    boolean finite = kind == Kind.HTTP && grabber.getLengthInTime() > 0;
    log.info("opened {}: {}x{}, {} fps, {} ({}{})", maskedUri, grabber.getImageWidth(), grabber.getImageHeight(),
        String.format(Locale.ROOT, "%.2f", grabber.getFrameRate()), grabber.getVideoCodecName(), grabber.getFormat(),
        finite ? String.format(Locale.ROOT, ", a recording of %.1f s", grabber.getLengthInTime() / 1e6) : "");
    return new Connection(grabber, maskedUri, finite);
  }

  /**
   * JavaCV's message without its generic hints and the raw URL it repeats, plus FFmpeg's text for the
   * error code: {@code avformat_open_input() error -111 (Connection refused)}. Masked in any case.
   */
  static String ffmpegReason(String javacvMessage) {
    String text = String.valueOf(javacvMessage)
        .replace(" (Has setFormat() been called?)", "")
        .replace(" (For more details, make sure FFmpegLogCallback.set() has been called.)", "")
        .replaceAll(":? ?Could not open input \"[^\"]*\"\\.?", "")
        .strip();
    Matcher code = ERROR_CODE.matcher(text);
    if (code.find()) {
      try (BytePointer buffer = new BytePointer(256)) {
        if (avutil.av_strerror(Integer.parseInt(code.group(1)), buffer, 256) == 0) {
          byte[] bytes = new byte[256];
          buffer.get(bytes);
          int end = 0;
          while (end < bytes.length && bytes[end] != 0) {
            end++;
          }
          String reason = new String(bytes, 0, end, java.nio.charset.StandardCharsets.UTF_8);
          text = text.substring(0, code.end()) + " (" + reason + ")" + text.substring(code.end());
        }
      } catch (NumberFormatException e) {
        // not an int: leave the text as it is
      }
    }
    return Secrets.maskUris(text);
  }

  private static void closeQuietly(FFmpegFrameGrabber grabber) {
    try {
      grabber.close();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      log.warn("closing the FFmpeg grabber failed: {}", Secrets.maskUris(e.getMessage()));
    }
  }

  /** One open connection; frames are copied out before the next grab reuses the buffer. */
  static final class Connection implements AutoCloseable {
    private final FFmpegFrameGrabber grabber;
    private final String uri;
    private final boolean finite;
    private long frames;

    private Connection(FFmpegFrameGrabber grabber, String uri, boolean finite) {
      this.grabber = grabber;
      this.uri = uri;
      this.finite = finite;
    }

    /** The next frame, or null at the end of the input (for a live feed: the server closed it). */
    CapturedFrame next() {
      Frame frame;
      try {
        frame = grabber.grabImage();
      } catch (FrameGrabber.Exception | RuntimeException e) {
        throw new IngestException("reading " + uri + " failed after " + frames + " frame(s): " + ffmpegReason(e.getMessage()));
      }
      if (frame == null) {
        return null;
      }
      frames++;
      return new CapturedFrame(ImageCodec.fromRgb24Frame(frame), grabber.getTimestamp());
    }

    /** A recording with a known length (progressive MP4, HLS VOD over HTTP): its end is the end. */
    boolean finite() {
      return finite;
    }

    double frameRate() {
      return grabber.getFrameRate();
    }

    int width() {
      return grabber.getImageWidth();
    }

    int height() {
      return grabber.getImageHeight();
    }

    @Override
    public void close() {
      closeQuietly(grabber);
    }
  }
}
