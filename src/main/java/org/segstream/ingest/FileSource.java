package org.segstream.ingest;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.segstream.config.Secrets;
import org.segstream.image.ImageCodec;
import org.segstream.video.FfmpegLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A recorded video file, decoded with FFmpeg. Replayed at its own frame rate unless told otherwise. */
public record FileSource(Path path) implements FrameSource {
  private static final Logger log = LoggerFactory.getLogger(FileSource.class);

  public FileSource {
    path = path.toAbsolutePath().normalize();
  }

  @Override
  public String uri() {
    return Secrets.maskUris(path.toString());
  }

  @Override
  public boolean live() {
    return false;
  }

  @Override
  public Pacing defaultPacing() {
    return Pacing.nativeRate();
  }

  @Override
  public FrameReader open() {
    checkReadable();
    FfmpegLog.routeToSlf4j();
    FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(path.toFile());
    // FFmpeg converts straight to packed RGB, so a frame is one copy away from an RgbImage
    grabber.setPixelFormat(AV_PIX_FMT_RGB24);
    try {
      grabber.start();
    } catch (FrameGrabber.Exception e) {
      closeQuietly(grabber);
      throw new IngestException(path + " is not a video FFmpeg can read (" + Secrets.maskUris(e.getMessage())
          + "): give a video file such as an MP4 (H.264)", e);
    }
    if (!grabber.hasVideo() || grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
      closeQuietly(grabber);
      throw new IngestException(path + " has no video stream (format " + grabber.getFormat()
          + "): give a file with a video track");
    }
    log.info("opened {}: {}x{}, {} fps, {} ({})", path, grabber.getImageWidth(), grabber.getImageHeight(),
        String.format("%.2f", grabber.getFrameRate()), grabber.getVideoCodecName(), grabber.getFormat());
    return new GrabberReader(grabber, path.toString());
  }

  private void checkReadable() {
    if (!Files.exists(path)) {
      throw new IngestException("the input file " + path + " does not exist: give the path of a video file");
    }
    if (Files.isDirectory(path)) {
      throw new IngestException("the input " + path + " is a directory: give the path of a video file");
    }
    if (!Files.isReadable(path)) {
      throw new IngestException("cannot read the input file " + path + ": check its permissions");
    }
    try {
      if (Files.size(path) == 0) {
        throw new IngestException("the input file " + path + " is empty (0 bytes): give a video file");
      }
    } catch (IOException e) {
      throw new IngestException("cannot read the input file " + path + ": " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(FFmpegFrameGrabber grabber) {
    try {
      grabber.close();
    } catch (FrameGrabber.Exception e) {
      log.warn("closing the FFmpeg grabber failed: {}", e.getMessage());
    }
  }

  /** Reads frames with an FFmpeg grabber; each is copied out before the next grab reuses the buffer. */
  private static final class GrabberReader implements FrameReader {
    private final FFmpegFrameGrabber grabber;
    private final String name;
    private long frames;

    GrabberReader(FFmpegFrameGrabber grabber, String name) {
      this.grabber = grabber;
      this.name = name;
    }

    @Override
    public CapturedFrame next() {
      Frame frame;
      try {
        frame = grabber.grabImage();
      } catch (FrameGrabber.Exception e) {
        throw new IngestException("decoding " + name + " failed after " + frames + " frame(s): "
            + Secrets.maskUris(e.getMessage()), e);
      }
      if (frame == null) {
        return null; // end of file
      }
      frames++;
      return new CapturedFrame(ImageCodec.fromRgb24Frame(frame), grabber.getTimestamp());
    }

    @Override
    public double frameRate() {
      return grabber.getFrameRate();
    }

    @Override
    public int width() {
      return grabber.getImageWidth();
    }

    @Override
    public int height() {
      return grabber.getImageHeight();
    }

    @Override
    public void close() {
      closeQuietly(grabber);
    }
  }
}
