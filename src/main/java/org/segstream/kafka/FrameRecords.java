package org.segstream.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.segstream.avro.FrameEncoding;
import org.segstream.avro.VideoFrame;
import org.segstream.image.EncodedImage;
import org.segstream.image.ImageDecodeException;
import org.segstream.image.ImageEncoding;
import org.segstream.image.ImageHeader;
import org.segstream.segment.FailureStage;

/**
 * {@link VideoFrame} records to and from domain values. Sources publish frames built here; the processor maps a
 * frame from the wire to the {@link EncodedImage} its compute core takes, checked against itself first.
 * Record-level faults (a stream id that is empty or too long, sizes below one pixel, no data) fail at
 * {@link FailureStage#DESERIALIZE}; image-level ones (a header that is unreadable, truncated, of another encoding,
 * of another size than declared, or over the pixel cap; a RAW_BGR length that is not 3·w·h) at
 * {@link FailureStage#DECODE}. Only the header is read: nothing is allocated by what the record claims.
 */
public final class FrameRecords {
  /** Stream ids are keys and metric labels: a camera name, not a payload. */
  public static final int MAX_STREAM_ID_BYTES = 256;

  /** A frame refused at the edge, with the stage its dead letter names. */
  public static final class RejectedFrameException extends RuntimeException {
    private final FailureStage stage;

    RejectedFrameException(FailureStage stage, String message) {
      super(message);
      this.stage = stage;
    }

    public FailureStage stage() {
      return stage;
    }
  }

  private FrameRecords() {}

  /**
   * A frame as a source publishes it.
   *
   * @param captureTimeUs the source's presentation time
   * @param captureWallTimeMs when the frame was grabbed, epoch ms
   * @param sourceUri where it came from, credentials masked
   * @param discontinuity frames are missing right before this one
   */
  public static VideoFrame frame(
      String streamId, long sequence, long captureTimeUs, long captureWallTimeMs, EncodedImage image, String sourceUri,
      boolean discontinuity) {
    return VideoFrame.newBuilder()
        .setStreamId(streamId)
        .setSequence(sequence)
        .setCaptureTimeUs(captureTimeUs)
        .setCaptureWallTimeMs(captureWallTimeMs)
        .setWidth(image.width())
        .setHeight(image.height())
        .setEncoding(wire(image.encoding()))
        .setData(ByteBuffer.wrap(image.data()))
        .setSourceUri(sourceUri)
        .setDiscontinuity(discontinuity)
        .setEndOfStream(false)
        .build();
  }

  /**
   * The last record of a stream: the next sequence number, no data, the size of the frames before it.
   *
   * @param captureTimeUs the presentation time of the last frame
   */
  public static VideoFrame endOfStream(
      String streamId, long sequence, long captureTimeUs, long captureWallTimeMs, int width, int height,
      String sourceUri) {
    return VideoFrame.newBuilder()
        .setStreamId(streamId)
        .setSequence(sequence)
        .setCaptureTimeUs(captureTimeUs)
        .setCaptureWallTimeMs(captureWallTimeMs)
        .setWidth(width)
        .setHeight(height)
        .setEncoding(FrameEncoding.JPEG)
        .setData(ByteBuffer.allocate(0))
        .setSourceUri(sourceUri)
        .setDiscontinuity(false)
        .setEndOfStream(true)
        .build();
  }

  /** The wire's name for an encoding; only JPEG, PNG and raw BGR travel as frames. */
  public static FrameEncoding wire(ImageEncoding encoding) {
    return switch (encoding) {
      case JPEG -> FrameEncoding.JPEG;
      case PNG -> FrameEncoding.PNG;
      case RAW_BGR -> FrameEncoding.RAW_BGR;
      case BMP, GIF, WEBP -> throw new IllegalArgumentException(
          encoding + " frames have no encoding on the wire: publish JPEG, PNG or raw BGR");
    };
  }

  /** The domain's name for an encoding on the wire. */
  public static ImageEncoding domain(FrameEncoding encoding) {
    return switch (encoding) {
      case JPEG -> ImageEncoding.JPEG;
      case PNG -> ImageEncoding.PNG;
      case RAW_BGR -> ImageEncoding.RAW_BGR;
    };
  }

  /**
   * Checks a frame and maps it; an end-of-stream record (no image) maps to {@code null}.
   *
   * @throws RejectedFrameException naming the stage and what is wrong
   */
  public static EncodedImage toImage(VideoFrame f, long maxFramePixels) {
    String streamId = f.getStreamId();
    int idBytes = streamId.getBytes(StandardCharsets.UTF_8).length;
    if (idBytes == 0 || idBytes > MAX_STREAM_ID_BYTES) {
      throw record("streamId of " + idBytes + " bytes: a stream id has 1 to " + MAX_STREAM_ID_BYTES + " bytes");
    }
    if (f.getEndOfStream()) {
      return null;
    }
    String what = "frame " + streamId + "#" + f.getSequence();
    int width = f.getWidth();
    int height = f.getHeight();
    if (width < 1 || height < 1) {
      throw record(what + " declares " + width + "x" + height + " pixels: width and height must be at least 1");
    }
    ByteBuffer data = f.getData();
    if (!data.hasRemaining()) {
      throw record(what + " has no data and is not the end of its stream");
    }
    long declaredPixels = (long) width * height;
    byte[] bytes = toArray(data);
    ImageEncoding encoding = domain(f.getEncoding());
    if (encoding == ImageEncoding.RAW_BGR) {
      requireWithinCap(what, "RAW_BGR", width, height, maxFramePixels);
      if (bytes.length != 3 * declaredPixels) {
        throw image(what + " is RAW_BGR " + width + "x" + height + ", which is " + 3 * declaredPixels + " bytes, but holds "
            + bytes.length);
      }
    } else {
      ImageHeader header;
      try {
        header = ImageHeader.read(bytes);
      } catch (ImageDecodeException e) {
        throw image(what + " (encoding " + f.getEncoding() + "): " + e.getMessage());
      }
      requireWithinCap(what, header.format().name(), header.width(), header.height(), maxFramePixels);
      if (ImageEncoding.of(header.format()) != encoding) {
        throw image(what + " declares encoding " + f.getEncoding() + " but its data is a " + header.format());
      }
      if (header.width() != width || header.height() != height) {
        throw image(what + " declares " + width + "x" + height + " but its " + header.format() + " header says "
            + header.width() + "x" + header.height());
      }
    }
    return new EncodedImage(encoding, width, height, bytes);
  }

  private static void requireWithinCap(String what, String format, int width, int height, long maxFramePixels) {
    long pixels = (long) width * height;
    if (pixels > maxFramePixels) {
      throw image(what + ": " + format + " of " + width + "x" + height + " = " + pixels + " pixels is over the cap of "
          + maxFramePixels + " pixels (the max-frame-pixels setting)");
    }
  }

  private static RejectedFrameException record(String message) {
    return new RejectedFrameException(FailureStage.DESERIALIZE, message);
  }

  private static RejectedFrameException image(String message) {
    return new RejectedFrameException(FailureStage.DECODE, message);
  }

  private static byte[] toArray(ByteBuffer buf) {
    ByteBuffer dup = buf.duplicate();
    byte[] out = new byte[dup.remaining()];
    dup.get(out);
    return out;
  }
}
