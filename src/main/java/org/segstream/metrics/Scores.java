package org.segstream.metrics;

import java.util.List;
import java.util.Map;

/**
 * The accuracy of a set of predictions against their truth, every figure of DESIGN.md's metrics section.
 * Per-class maps are in class order; NaN marks a class absent from both truth and prediction.
 *
 * @param temporalStability mean IoU between consecutive predictions (video); NaN for image sets
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
    List<FrameScore> perFrame) {}
