package org.segstream.process;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.segstream.avro.DeadLetterStage;
import org.segstream.avro.FrameEncoding;
import org.segstream.avro.VideoFrame;
import org.segstream.image.ImageDecodeException;
import org.segstream.image.ImageHeader;
import org.segstream.process.FrameSegmenter.EncodedFrame;

/**
 * The Kafka edge of the processor: a {@link VideoFrame} from the wire, checked against itself
 * before it becomes an {@link EncodedFrame} for the compute core. Record-level faults (a stream id
 * that is empty or too long, sizes below one pixel, no data) fail at {@code DESERIALIZE};
 * image-level ones (a header that is unreadable, truncated, of another encoding, of another size
 * than declared, or over the pixel cap; a RAW_BGR length that is not 3·w·h) at {@code DECODE}.
 * Only the header is read: nothing is allocated by what the record claims.
 */
final class FrameMapping {
  /** Stream ids are keys and metric labels: a camera name, not a payload. */
  static final int MAX_STREAM_ID_BYTES = 256;

  /** A frame refused at the edge, with the stage its dead letter names. */
  static final class RejectedFrameException extends RuntimeException {
    private final DeadLetterStage stage;

    RejectedFrameException(DeadLetterStage stage, String message) {
      super(message);
      this.stage = stage;
    }

    DeadLetterStage stage() {
      return stage;
    }
  }

  private FrameMapping() {}

  /**
   * Checks a frame and maps it; an end-of-stream record (no image) maps to {@code null}.
   *
   * @throws RejectedFrameException naming the stage and what is wrong
   */
  static EncodedFrame toEncodedFrame(VideoFrame f, long maxFramePixels) {
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
    if (f.getEncoding() == FrameEncoding.RAW_BGR) {
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
      if (!header.format().name().equals(f.getEncoding().name())) {
        throw image(what + " declares encoding " + f.getEncoding() + " but its data is a " + header.format());
      }
      if (header.width() != width || header.height() != height) {
        throw image(what + " declares " + width + "x" + height + " but its " + header.format() + " header says "
            + header.width() + "x" + header.height());
      }
    }
    return new EncodedFrame(f.getEncoding(), width, height, bytes);
  }

  private static void requireWithinCap(String what, String format, int width, int height, long maxFramePixels) {
    long pixels = (long) width * height;
    if (pixels > maxFramePixels) {
      throw image(what + ": " + format + " of " + width + "x" + height + " = " + pixels + " pixels is over the cap of "
          + maxFramePixels + " pixels (--max-frame-pixels)");
    }
  }

  private static RejectedFrameException record(String message) {
    return new RejectedFrameException(DeadLetterStage.DESERIALIZE, message);
  }

  private static RejectedFrameException image(String message) {
    return new RejectedFrameException(DeadLetterStage.DECODE, message);
  }

  private static byte[] toArray(ByteBuffer buf) {
    ByteBuffer dup = buf.duplicate();
    byte[] out = new byte[dup.remaining()];
    dup.get(out);
    return out;
  }
}
