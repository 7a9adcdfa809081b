package org.segstream.train;

import java.time.Duration;

/**
 * Where training stands after a step.
 *
 * @param imagesPerSecond training throughput since the first step (which pays for graph warm-up)
 * @param remaining estimated time to the step count or the time budget, whichever comes first
 */
public record TrainProgress(
    int step, int totalSteps, float loss, double imagesPerSecond, Duration elapsed, Duration remaining) {}
