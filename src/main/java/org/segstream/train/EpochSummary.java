package org.segstream.train;

import org.segstream.model.ModelMetadata;

/**
 * The end of an epoch: the mean training loss and the held-out scores of the training graph's
 * inference branch (moving batch-norm statistics, before the final calibration).
 */
public record EpochSummary(int epoch, int epochs, int step, double meanLoss, float learningRate,
    double imagesPerSecond, double dataWaitShare, ModelMetadata.Metrics validation, int validationCount) {}
