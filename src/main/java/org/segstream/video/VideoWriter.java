package org.segstream.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_FFV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR0;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.Frame;
import org.segstream.image.RgbImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link RgbImage} frames to a video file at a fixed frame rate with FFmpeg (JavaCV's
 * {@link FFmpegFrameRecorder}). {@link #open} writes an MP4: H.264 through openh264 (the encoder of the
 * LGPL FFmpeg build), or MPEG-4 part 2 when openh264 cannot start. {@link #openLossless} writes FFV1 in
 * Matroska, which decodes back bit-exactly: test clips use it.
 */
public final class VideoWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VideoWriter.class);

  /** How frames are compressed. */
  public enum Codec {
    /** H.264 with openh264, yuv420p. */
    H264,
    /** MPEG-4 part 2 (FFmpeg's own encoder), yuv420p. */
    MPEG4,
    /** FFV1, packed BGR0: lossless. */
    FFV1
  }

  private final Path file;
  private final int width;
  private final int height;
  private final Codec codec;
  private final FFmpegFrameRecorder recorder;
  private final Frame frame;
  private long framesWritten;
  private boolean closed;

  private VideoWriter(Path file, int width, int height, Codec codec, FFmpegFrameRecorder recorder) {
    this.file = file;
    this.width = width;
    this.height = height;
    this.codec = codec;
    this.recorder = recorder;
    this.frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3, 3 * width);
  }

  /** An MP4 (H.264, else MPEG-4 part 2) of {@code width × height} (both even) at {@code fps}. */
  public static VideoWriter open(Path file, int width, int height, double fps) {
    return open(file, width, height, fps, List.of(Codec.H264, Codec.MPEG4));
  }

  /** A lossless FFV1 video (give the file a {@code .mkv} name). */
  public static VideoWriter openLossless(Path file, int width, int height, double fps) {
    return open(file, width, height, fps, List.of(Codec.FFV1));
  }

  /** Tries the codecs in order and keeps the first whose encoder starts. */
  public static VideoWriter open(Path file, int width, int height, double fps, List<Codec> codecs) {
    if (width <= 0 || height <= 0 || fps <= 0) {
      throw new IllegalArgumentException("bad video size or rate: " + width + "x" + height + " at " + fps + " fps");
    }
    if (width % 2 != 0 || height % 2 != 0) {
      // FFmpegFrameRecorder rounds odd sizes up (yuv420p needs even ones): refuse rather than pad silently
      throw new IllegalArgumentException(
          "video frames need even sizes, got " + width + "x" + height + " for " + file + ": crop or scale by one pixel");
    }
    createParent(file);
    FfmpegLog.routeToSlf4j();
    FrameRecorder.Exception last = null;
    for (Codec codec : codecs) {
      FFmpegFrameRecorder recorder = configure(file, width, height, fps, codec);
      try {
        recorder.start();
        log.debug("writing {} with {} ({}x{} at {} fps)", file, codec, width, height, fps);
        return new VideoWriter(file, width, height, codec, recorder);
      } catch (FrameRecorder.Exception e) {
        last = e;
        log.info("the {} encoder did not start for {} ({}); trying the next codec", codec, file, e.getMessage());
        releaseQuietly(recorder);
      }
    }
    throw new IllegalStateException("no video encoder of " + codecs + " could start for " + file, last);
  }

  private static FFmpegFrameRecorder configure(Path file, int width, int height, double fps, Codec codec) {
    FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
    recorder.setFrameRate(fps);
    // about 0.25 bit per pixel: clean enough for segmenting the frames again, small enough to share
    int bitrate = (int) Math.max(400_000, Math.min(20_000_000, 0.25 * width * height * fps));
    switch (codec) {
      case H264 -> {
        recorder.setFormat("mp4");
        recorder.setVideoCodecName("libopenh264");
        recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
        recorder.setVideoBitrate(bitrate);
        recorder.setGopSize((int) Math.ceil(fps));
      }
      case MPEG4 -> {
        recorder.setFormat("mp4");
        recorder.setVideoCodec(AV_CODEC_ID_MPEG4);
        recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
        recorder.setVideoBitrate(bitrate);
        recorder.setGopSize((int) Math.ceil(fps));
      }
      case FFV1 -> {
        recorder.setFormat("matroska");
        recorder.setVideoCodec(AV_CODEC_ID_FFV1);
        recorder.setPixelFormat(AV_PIX_FMT_BGR0);
      }
    }
    return recorder;
  }

  /** Appends one frame; its size must be the video's. */
  public void write(RgbImage image) {
    if (closed) {
      throw new IllegalStateException("video " + file + " is closed");
    }
    if (image.width() != width || image.height() != height) {
      throw new IllegalArgumentException(
          "frame is " + image.width() + "x" + image.height() + ", the video " + file + " is " + width + "x" + height);
    }
    ByteBuffer buffer = (ByteBuffer) frame.image[0];
    buffer.clear();
    buffer.put(image.rgb());
    buffer.clear();
    try {
      recorder.record(frame, AV_PIX_FMT_RGB24);
    } catch (FrameRecorder.Exception e) {
      throw new IllegalStateException("FFmpeg failed to encode frame " + framesWritten + " of " + file + ": " + e.getMessage(), e);
    }
    framesWritten++;
  }

  public Codec codec() {
    return codec;
  }

  public long framesWritten() {
    return framesWritten;
  }

  public Path file() {
    return file;
  }

  /** Flushes the encoder and finishes the file; runs once, and frees the native buffers even if finishing fails. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      recorder.stop();
    } catch (FrameRecorder.Exception e) {
      throw new IllegalStateException("FFmpeg failed to finish " + file + ": " + e.getMessage(), e);
    } finally {
      releaseQuietly(recorder);
      frame.close();
    }
  }

  private static void releaseQuietly(FFmpegFrameRecorder recorder) {
    try {
      recorder.release();
    } catch (FrameRecorder.Exception e) {
      log.warn("releasing the FFmpeg recorder failed: {}", e.getMessage());
    }
  }

  private static void createParent(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory " + parent + " for " + file, e);
    }
  }
}
