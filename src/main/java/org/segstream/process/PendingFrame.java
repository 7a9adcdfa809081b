package org.segstream.process;

import org.segstream.avro.VideoFrame;
import org.segstream.image.EncodedImage;

/**
 * A buffered frame ready for the core: its record, its buffer slot, the frame, and its image
 * (null at end of stream).
 */
record PendingFrame(BufferedFrame entry, long slot, VideoFrame frame, EncodedImage image) {
  long pixels() {
    return image == null ? 0 : (long) image.width() * image.height();
  }
}
