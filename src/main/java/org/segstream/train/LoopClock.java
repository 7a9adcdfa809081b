package org.segstream.train;

import java.time.Duration;
import java.util.List;

/**
 * The training loop's clock for one sitting: the seconds of earlier sittings, the time budget, the
 * time spent waiting for batches, and from these each step's throughput and time left.
 */
final class LoopClock {
  private final double secondsBefore;
  private final double budget;
  private final int firstStep;
  private final int batchSize;
  private final long loopStart = System.nanoTime();
  private long firstStepEnd;
  private long waitNanos;

  /**
   * @param secondsBefore training seconds of earlier sittings
   * @param budget the time budget across sittings, 0 for none
   * @param firstStep the number of this sitting's first step
   */
  LoopClock(double secondsBefore, double budget, int firstStep, int batchSize) {
    this.secondsBefore = secondsBefore;
    this.budget = budget;
    this.firstStep = firstStep;
    this.batchSize = batchSize;
  }

  /** One step's figures for the progress line. */
  record StepTiming(boolean outOfTime, double imagesPerSecond, double dataWaitShare, Duration elapsed,
      Duration remaining) {}

  /** True when earlier sittings spent the whole budget: this one only re-exports. */
  boolean budgetSpentBefore() {
    return budget > 0 && secondsBefore >= budget;
  }

  /** The share of the time budget spent so far, 0 without a budget. */
  double budgetShare() {
    double seconds = secondsSoFar();
    return budget > 0 ? seconds / budget : 0;
  }

  /** Training seconds across sittings, now. */
  double secondsSoFar() {
    return secondsBefore + (System.nanoTime() - loopStart) / 1e9;
  }

  /** Takes the next batch, counting the wait. */
  Batch take(BatchFeeder feeder) {
    long waitStart = System.nanoTime();
    Batch batch = feeder.take();
    waitNanos += System.nanoTime() - waitStart;
    return batch;
  }

  /** Called when {@code step} (of {@code totalSteps}) is done. */
  StepTiming stepDone(int step, int totalSteps) {
    long now = System.nanoTime();
    if (step == firstStep) {
      firstStepEnd = now;
    }
    long elapsed = now - loopStart;
    double spent = secondsBefore + elapsed / 1e9;
    boolean outOfTime = budget > 0 && spent >= budget;
    int sittingSteps = step - firstStep + 1;
    double rateNow = sittingSteps > 1 ? (sittingSteps - 1) * batchSize / ((now - firstStepEnd) / 1e9) : 0;
    double wait = (double) waitNanos / Math.max(1, elapsed);
    long perStep = elapsed / sittingSteps;
    long remaining = Math.min((long) (totalSteps - step) * perStep,
        budget > 0 ? (long) (Math.max(0, budget - spent) * 1e9) : Long.MAX_VALUE);
    return new StepTiming(outOfTime, rateNow, wait, Duration.ofNanos((long) (spent * 1e9)),
        Duration.ofNanos(outOfTime ? 0 : remaining));
  }

  /** The sitting's summary once the loop has ended at {@code step}. */
  TrainingRun.Sitting sitting(int step, List<Float> losses, List<Float> rates) {
    long loopEnd = System.nanoTime();
    Duration trainingTime = Duration.ofNanos((long) ((secondsBefore + (loopEnd - loopStart) / 1e9) * 1e9));
    int sittingSteps = step - firstStep + 1;
    double imagesPerSecond = sittingSteps > 1
        ? (sittingSteps - 1) * batchSize / ((loopEnd - firstStepEnd) / 1e9)
        : sittingSteps * batchSize / Math.max(1e-9, (loopEnd - loopStart) / 1e9);
    double dataWaitShare = (double) waitNanos / Math.max(1, loopEnd - loopStart);
    return new TrainingRun.Sitting(firstStep, losses, rates, trainingTime, imagesPerSecond, dataWaitShare);
  }
}
