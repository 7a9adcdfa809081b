package org.segstream.ingest;

import org.segstream.image.RgbImage;

/**
 * One decoded frame, copied out of the decoder's buffers (so it may outlive the next grab or wait in a
 * queue).
 *
 * @param image the pixels at the source's size
 * @param captureTimeUs the source's presentation time of the frame, microseconds
 * @param discontinuity frames are missing right before this one (a reconnect, or frames dropped behind it)
 */
public record CapturedFrame(RgbImage image, long captureTimeUs, boolean discontinuity) {

  /** A frame that directly follows the previous one. */
  public CapturedFrame(RgbImage image, long captureTimeUs) {
    this(image, captureTimeUs, false);
  }

  /** This frame marked as following a gap. */
  public CapturedFrame afterGap() {
    return discontinuity ? this : new CapturedFrame(image, captureTimeUs, true);
  }
}
