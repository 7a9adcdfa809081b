package org.segstream.train;

/** Hears how training goes: once per step, and at each phase after the loop. */
public interface ProgressListener {
  ProgressListener NONE = new ProgressListener() {
    @Override
    public void onStep(TrainProgress progress) {}
  };

  void onStep(TrainProgress progress);

  /** A phase after training began, e.g. "exporting", "validating"; the step line is finished. */
  default void onPhase(String description) {}
}
