package org.segstream.train;

import java.time.Duration;

/**
 * Where training stands after a step.
 *
 * @param step the step's number from 1, counted across resumed sittings
 * @param totalSteps steps planned (the step itself when the time budget ended the run)
 * @param epoch the epoch this step belongs to, from 1
 * @param stepInEpoch from 1 to {@code stepsPerEpoch}
 * @param learningRate the rate this step used
 * @param imagesPerSecond training throughput of this sitting since its first step (which pays for warm-up)
 * @param dataWaitShare the share of this sitting's loop time spent waiting for batches
 * @param remaining estimated time to the step count or the time budget, whichever comes first
 */
public record TrainProgress(
    int step, int totalSteps, int epoch, int epochs, int stepInEpoch, int stepsPerEpoch, float loss,
    float learningRate, double imagesPerSecond, double dataWaitShare, Duration elapsed, Duration remaining) {}
