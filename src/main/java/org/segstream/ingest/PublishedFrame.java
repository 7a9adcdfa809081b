package org.segstream.ingest;

import org.segstream.image.RgbImage;

/**
 * A frame the ingestor has handed to the producer (its send is acknowledged before the ingest returns).
 *
 * @param image the frame as published (after {@code --max-size} or a size-limit shrink), before JPEG
 * @param encodedBytes the JPEG's size
 * @param jpegQuality the quality used (lower than asked when the frame had to be re-encoded to fit)
 */
public record PublishedFrame(
    String streamId, long sequence, long captureTimeUs, long captureWallTimeMs, RgbImage image, int encodedBytes,
    int jpegQuality) {}
