package org.segstream.metrics;

/**
 * The scores of one frame or image.
 *
 * @param sequence the frame's sequence number (or the image's index in the set)
 * @param meanIoU over the classes present in this frame's truth or prediction
 * @param foregroundIoU non-background against background; NaN when neither has foreground
 * @param boundaryF at the accumulator's tolerance
 */
public record FrameScore(long sequence, double meanIoU, double foregroundIoU, double boundaryF) {}
