package org.segstream.ingest;

import org.segstream.config.InvalidSettingException;

/**
 * How one stream is ingested.
 *
 * @param streamId the record key and {@code streamId} of every frame
 * @param pacing how fast frames are released; null = the source's default (native for files)
 * @param maxSize the long side frames are shrunk to when larger; 0 = the source's size
 * @param jpegQuality JPEG quality 1..100
 * @param maxFrames stop after this many frames (then end of stream as usual); 0 = all
 */
public record IngestSettings(String streamId, Pacing pacing, int maxSize, int jpegQuality, long maxFrames) {
  public static final int DEFAULT_JPEG_QUALITY = 90;

  public IngestSettings {
    if (streamId == null || streamId.isBlank()) {
      throw new InvalidSettingException("stream-id", "the stream id is empty: give every stream an id");
    }
    if (maxSize != 0 && maxSize < 16) {
      throw new InvalidSettingException("max-size",
          "frame size cap " + maxSize + ": give at least 16 pixels (or 0 for the source's size)");
    }
    if (jpegQuality < 1 || jpegQuality > 100) {
      throw new InvalidSettingException("jpeg-quality", "JPEG quality " + jpegQuality + ": give 1..100");
    }
    if (maxFrames < 0) {
      throw new InvalidSettingException(null, "max frames " + maxFrames + ": give 0 (all) or more");
    }
  }

  /** The defaults for a stream: source pacing, source size, JPEG quality 90, every frame. */
  public static IngestSettings of(String streamId) {
    return new IngestSettings(streamId, null, 0, DEFAULT_JPEG_QUALITY, 0);
  }

  public IngestSettings withStreamId(String id) {
    return new IngestSettings(id, pacing, maxSize, jpegQuality, maxFrames);
  }

  public IngestSettings withPacing(Pacing p) {
    return new IngestSettings(streamId, p, maxSize, jpegQuality, maxFrames);
  }

  public IngestSettings withMaxSize(int size) {
    return new IngestSettings(streamId, pacing, size, jpegQuality, maxFrames);
  }

  public IngestSettings withJpegQuality(int quality) {
    return new IngestSettings(streamId, pacing, maxSize, quality, maxFrames);
  }

  public IngestSettings withMaxFrames(long frames) {
    return new IngestSettings(streamId, pacing, maxSize, jpegQuality, frames);
  }
}
