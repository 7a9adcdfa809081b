package org.segstream.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.model.ModelMetadata;

class LearningCurveTest {
  private static EpochSummary epoch(int epoch, int step, double loss, double miou) {
    ModelMetadata.Metrics m = new ModelMetadata.Metrics(0.9, List.of(miou + 0.1, miou - 0.1), miou, List.of(), 0.8, 0.5);
    return new EpochSummary(epoch, 10, step, loss, 0.001f, 20, 0, m, 5);
  }

  @Test
  void aResumedRunContinuesTheCurveAndRepeatedStepsReplaceTheOldRows(@TempDir Path dir) throws Exception {
    List<String> classes = List.of("pet", "background");
    LearningCurve first = new LearningCurve(ProgressListener.NONE, dir, classes, false);
    first.onEpoch(epoch(1, 100, 0.9, 0.5));
    first.onEpoch(epoch(2, 200, 0.7, 0.6));
    first.onEpoch(epoch(3, 300, 0.6, 0.62)); // after the last checkpoint: the resumed sitting repeats it
    LearningCurve resumed = new LearningCurve(ProgressListener.NONE, dir, classes, true);
    resumed.onEpoch(epoch(3, 300, 0.55, 0.65));
    resumed.onEpoch(epoch(4, 400, 0.5, 0.7));
    Path csv = dir.resolve(LearningCurve.FILE_NAME);
    assertEquals(List.of("step", "epoch", "train_loss", "val_miou", "val_iou_pet", "val_iou_background"),
        LearningCurve.read(csv).columns());
    List<double[]> rows = LearningCurve.read(csv).rows();
    assertArrayEquals(new double[] {100, 200, 300, 400}, rows.stream().mapToDouble(r -> r[0]).toArray());
    assertEquals(0.65, rows.get(2)[3], 1e-9, "the resumed sitting's row for step 300");
    assertEquals(0.8, rows.get(3)[4], 1e-9);
  }

  @Test
  void aFreshRunStartsTheCurveAfresh(@TempDir Path dir) throws Exception {
    new LearningCurve(ProgressListener.NONE, dir, List.of("a"), false).onEpoch(epoch(1, 100, 0.9, 0.5));
    new LearningCurve(ProgressListener.NONE, dir, List.of("a"), false).onEpoch(epoch(1, 50, 0.8, 0.4));
    List<double[]> rows = LearningCurve.read(dir.resolve(LearningCurve.FILE_NAME)).rows();
    assertEquals(1, rows.size());
    assertEquals(50, rows.get(0)[0]);
  }
}
