package org.segstream.ingest;

import org.segstream.image.RgbImage;

/**
 * One decoded frame, copied out of the decoder's buffers (so it may outlive the next grab or wait in a
 * queue).
 *
 * @param image the pixels at the source's size
 * @param captureTimeUs the source's presentation time of the frame, microseconds
 */
public record CapturedFrame(RgbImage image, long captureTimeUs) {}
