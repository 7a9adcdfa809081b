package org.segstream.train;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.segstream.model.ModelMetadata;

/**
 * A finished training run (or the last sitting of a resumed one).
 *
 * @param modelDir the model directory (SavedModel + segstream-model.json)
 * @param firstStep the number of this sitting's first step (1 unless resumed)
 * @param losses the mean training loss of every step of this sitting, in order
 * @param learningRates the learning rate of every step of this sitting
 * @param imagesPerSecond training throughput after the sitting's first step
 * @param dataWaitShare share of the training loop spent waiting for batches
 * @param trainingTime the training loop's wall-clock time, across sittings
 */
public record TrainResult(Path modelDir, ModelMetadata metadata, int firstStep, List<Float> losses,
    List<Float> learningRates, double imagesPerSecond, double dataWaitShare, Duration trainingTime) {
  public TrainResult {
    losses = List.copyOf(losses);
    learningRates = List.copyOf(learningRates);
  }

  /** Steps of this sitting. */
  public int steps() {
    return losses.size();
  }

  /** The step count reached, across sittings. */
  public int lastStep() {
    return firstStep + losses.size() - 1;
  }
}
