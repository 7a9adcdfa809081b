package org.segstream.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;

import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.segstream.config.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends FFmpeg's own log lines through SLF4J (logger {@code ffmpeg}) instead of stderr, with passwords
 * in URIs masked: FFmpeg prints the input URL it was given. Errors log at WARN (FFmpeg reports
 * recoverable decode glitches as errors), warnings at DEBUG; FFmpeg's chatter below warnings is not
 * even formatted.
 */
public final class FfmpegLog {
  private static final Logger log = LoggerFactory.getLogger("ffmpeg");

  private FfmpegLog() {}

  /** Installs the callback once per JVM; later calls do nothing. */
  public static void routeToSlf4j() {
    Installed.CALLBACK.hashCode(); // touching the holder installs it exactly once (class initialisation)
  }

  /** The holder keeps a strong reference: FFmpeg only holds a native pointer to the callback. */
  private static final class Installed {
    static final Callback CALLBACK = install();

    private static Callback install() {
      Callback callback = new Callback();
      avutil.av_log_set_level(AV_LOG_WARNING);
      avutil.setLogCallback(callback);
      return callback;
    }
  }

  private static final class Callback extends LogCallback {
    @Override
    public void call(int level, BytePointer message) {
      String text = message.getString().strip();
      if (text.isEmpty()) {
        return;
      }
      text = Secrets.maskUris(text);
      if (level <= AV_LOG_ERROR) {
        log.warn(text);
      } else {
        log.debug(text);
      }
    }
  }
}
