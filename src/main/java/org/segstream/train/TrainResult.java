package org.segstream.train;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.segstream.model.ModelMetadata;

/**
 * A finished training run.
 *
 * @param modelDir the model directory (SavedModel + segstream-model.json)
 * @param losses the mean training loss of every step, in order
 * @param imagesPerSecond training throughput after the first step
 * @param trainingTime the training loop's wall-clock time
 */
public record TrainResult(
    Path modelDir, ModelMetadata metadata, List<Float> losses, double imagesPerSecond, Duration trainingTime) {
  public TrainResult {
    losses = List.copyOf(losses);
  }

  public int steps() {
    return losses.size();
  }
}
