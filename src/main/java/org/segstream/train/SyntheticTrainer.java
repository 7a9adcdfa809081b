package org.segstream.train;

import java.nio.file.Path;

/** Trains on synthetic scenes: the demo's and the tests' way to get a real model without data files. */
public final class SyntheticTrainer {
  private SyntheticTrainer() {}

  public static TrainResult train(TrainSettings options, ProgressListener progress) {
    return Trainer.train(options, new SyntheticData(options.seed(), options.validationCount()), progress);
  }

  /**
   * A tiny real model for integration tests elsewhere: unet-small, 30 steps of 8 scenes at 64×64,
   * 8 validation scenes, a short speed measurement — a SavedModel in roughly 10–20 s on two cores.
   * Its input size is 64×64; it segments synthetic scenes reasonably, nothing else.
   */
  public static TrainResult tinyModel(Path out) {
    TrainSettings options = TrainSettings.builder(out)
        .architecture(Architecture.UNET_SMALL)
        .inputSize(64, 64)
        .steps(30)
        .batchSize(8)
        .learningRate(0.02f)
        .seed(7)
        .validationCount(8)
        .benchSeconds(0.5)
        .name("synthetic-tiny")
        .command("SyntheticTrainer.tinyModel")
        .build();
    return train(options, ProgressListener.NONE);
  }
}
