package org.segstream.metrics;

import java.util.List;
import java.util.Map;

/**
 * The accuracy of a set of predictions against their truth, every figure of DESIGN.md's metrics section.
 * Per-class maps are in class order; NaN marks a class absent from both truth and prediction.
 *
 * @param temporalStability mean IoU between consecutive predictions (video); NaN for image sets
 * @param labelFlipShare share of pixels whose label changes between consecutive predictions (video); NaN for image
 *     sets
 * @param foregroundIoUSwing mean absolute change of the foreground IoU from one scored frame to the next (video: how
 *     much the accuracy flickers); NaN for image sets
 */
public record Scores(
    long frames,
    Map<String, Double> perClassIoU,
    double meanIoU,
    Map<String, Double> dice,
    double pixelAccuracy,
    double foregroundIoU,
    int boundaryTolerancePx,
    double boundaryF,
    double temporalStability,
    double labelFlipShare,
    double foregroundIoUSwing,
    List<FrameScore> perFrame) {}
