package org.segstream.train;

/** Hears how training goes: once per step, once per epoch, and at each phase around the loop. */
public interface ProgressListener {
  ProgressListener NONE = new ProgressListener() {
    @Override
    public void onStep(TrainProgress progress) {}
  };

  void onStep(TrainProgress progress);

  /** An epoch ended and its validation was scored. */
  default void onEpoch(EpochSummary summary) {}

  /** A phase, e.g. "loading", "exporting", "validating"; the step line is finished. */
  default void onPhase(String description) {}
}
