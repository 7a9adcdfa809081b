package org.segstream.ingest;

import java.util.Locale;

/**
 * What one ingest did. Every frame counted here was acknowledged by the cluster.
 *
 * @param lastSequence the last frame's sequence, -1 when none was published
 * @param endOfStreamSequence the sequence of the end-of-stream record (= frames published)
 * @param width the published frame width (after any downscale)
 * @param framesReencoded frames published at a lower JPEG quality or size than asked, to fit the record size limit
 * @param stopped true when {@link Ingestor#stop()} or an interrupt ended the ingest before the source did
 * @param decodeNanos time spent grabbing and copying frames (FFmpeg decode and pixel conversion)
 * @param encodeNanos time spent resizing and JPEG-encoding
 * @param publishNanos time spent serialising and handing records to the producer, and the final flush
 */
public record IngestSummary(
    String streamId,
    String sourceUri,
    String topic,
    long framesPublished,
    long lastSequence,
    long endOfStreamSequence,
    int width,
    int height,
    long bytesPublished,
    long framesReencoded,
    boolean stopped,
    long elapsedNanos,
    long decodeNanos,
    long encodeNanos,
    long publishNanos) {

  public double framesPerSecond() {
    return elapsedNanos == 0 ? 0 : framesPublished * 1e9 / elapsedNanos;
  }

  /** Wall milliseconds per frame, pacing waits included. */
  public double millisPerFrame() {
    return framesPublished == 0 ? 0 : elapsedNanos / 1e6 / framesPublished;
  }

  /** The one-line summary {@code segstream ingest} prints. */
  public String line() {
    return String.format(Locale.ROOT,
        "ingested %s: %d frames (sequence 0..%d, end of stream %d) %dx%d to %s, %.1f MB, %.1f frames/s "
            + "(per frame: decode %.2f ms, encode %.2f ms, publish %.2f ms)%s%s",
        streamId, framesPublished, lastSequence, endOfStreamSequence, width, height, topic, bytesPublished / 1e6,
        framesPerSecond(), perFrameMs(decodeNanos), perFrameMs(encodeNanos), perFrameMs(publishNanos),
        framesReencoded > 0 ? ", " + framesReencoded + " at lower quality or size to fit the record size limit" : "",
        stopped ? ", stopped early" : "");
  }

  private double perFrameMs(long nanos) {
    return framesPublished == 0 ? 0 : nanos / 1e6 / framesPublished;
  }
}
