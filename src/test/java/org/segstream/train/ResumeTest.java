package org.segstream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.config.InvalidSettingException;
import org.segstream.dataset.PairLayout;

/**
 * An interrupted run resumed from its checkpoint continues with the same step count, learning rate
 * and (one thread, so no reordering) losses as a run that was never interrupted.
 */
class ResumeTest {
  private static final int EPOCHS = 4;

  /** Thrown from the progress listener: a crash right after the epoch-2 checkpoint. */
  private static final class Crash extends RuntimeException {
    Crash() {
      super("simulated crash");
    }
  }

  @Test
  void resumeContinuesWithTheSameStepCountAndLearningRate(@TempDir Path tmp) throws Exception {
    Path set = MaskFolderDataTest.writeSet(tmp.resolve("set"), 20, 40, 40);
    TrainResult straight = Trainer.train(options(tmp.resolve("straight"), false), data(set), ProgressListener.NONE);
    int stepsPerEpoch = 4; // 16 training pairs, batch 4
    assertEquals(EPOCHS * stepsPerEpoch, straight.lastStep());

    Path interrupted = tmp.resolve("interrupted");
    ProgressListener crashInEpoch3 = new ProgressListener() {
      @Override
      public void onStep(TrainProgress p) {
        if (p.epoch() == 3 && p.stepInEpoch() == 2) {
          throw new Crash();
        }
      }
    };
    assertThrows(Crash.class, () -> Trainer.train(options(interrupted, false), data(set), crashInEpoch3));

    TrainResult resumed = Trainer.train(options(interrupted, true), data(set), ProgressListener.NONE);
    assertEquals(2 * stepsPerEpoch + 1, resumed.firstStep(), "continues after the epoch-2 checkpoint");
    assertEquals(straight.lastStep(), resumed.lastStep());
    List<Float> straightRates = straight.learningRates().subList(2 * stepsPerEpoch, straight.steps());
    assertEquals(straightRates, resumed.learningRates());
    assertTrue(straightRates.get(0) < 1e-2f && straightRates.get(0) > 1e-3f, "cosine, mid-way: " + straightRates);
    List<Float> straightLosses = straight.losses().subList(2 * stepsPerEpoch, straight.steps());
    for (int i = 0; i < straightLosses.size(); i++) {
      float a = straightLosses.get(i);
      float b = resumed.losses().get(i);
      assertEquals(a, b, 1e-3 * Math.abs(a), "loss at step " + (resumed.firstStep() + i));
    }
  }

  @Test
  void resumeWithoutACheckpointIsAUsageError(@TempDir Path tmp) throws Exception {
    Path set = MaskFolderDataTest.writeSet(tmp.resolve("set"), 6, 24, 24);
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> Trainer.train(options(tmp.resolve("none"), true), data(set), ProgressListener.NONE));
    assertTrue(e.getMessage().contains("no checkpoint"), e.getMessage());
  }

  private static FolderData data(Path set) {
    return FolderData.load(PairLayout.open(set), new FolderData.Settings(32, 32, 4, 0, 1337, 5, true, false, 1));
  }

  private static TrainSettings options(Path out, boolean resume) {
    return TrainSettings.builder(out)
        .architecture(Architecture.UNET_SMALL)
        .inputSize(32, 32)
        .epochs(EPOCHS)
        .batchSize(4)
        .learningRate(0.01f)
        .schedule(Schedule.COSINE)
        .threads(1)
        .seed(3)
        .benchSeconds(0.2)
        .calibrationBatches(1)
        .resume(resume)
        .checkpointDir(out.resolveSibling(out.getFileName() + ".checkpoint"))
        .name("resume-test")
        .command("ResumeTest")
        .build();
  }
}
