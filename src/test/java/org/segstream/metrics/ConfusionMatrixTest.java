package org.segstream.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.segstream.testing.LabelMaps.doubles;
import static org.segstream.testing.LabelMaps.fraction;
import static org.segstream.testing.LabelMaps.map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.image.LabelMap;

class ConfusionMatrixTest {
  private static final double EPS = 1e-12;

  /** Every score by hand; class 1 is background for foregroundIoU. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # case                    | w | truth   | predicted | per-class IoU    | per-class Dice  | mIoU  | accuracy | fgIoU
      class 2 in neither map    | 4 | 0011    | 0111      | 1/2; 2/3; NaN    | 2/3; 4/5; NaN   | 7/12  | 3/4      | 1/2
      perfect                   | 4 | 0120    | 0120      | 1; 1; 1          | 1; 1; 1         | 1     | 1        | 1
      all three classes, 3x2    | 3 | 001 221 | 011 201   | 1/3; 2/3; 1/2    | 1/2; 4/5; 2/3   | 1/2   | 4/6      | 3/4
      class 0 only predicted    | 4 | 1111    | 1100      | 0; 1/2; NaN      | 0; 2/3; NaN     | 1/4   | 1/2      | 0
      pet vs border is free fg  | 2 | 02 11   | 20 11     | 0; 1; 0          | 0; 1; 0         | 1/3   | 1/2      | 1
      """)
  void scoresMatchHandComputedValues(String name, int width, String truth, String predicted, String iou,
      String dice, String meanIoU, String accuracy, String foregroundIoU) {
    ConfusionMatrix m = new ConfusionMatrix(3).add(map(width, truth), map(width, predicted));
    assertArrayEquals(doubles(iou), m.perClassIoU(), EPS, "per-class IoU");
    assertArrayEquals(doubles(dice), m.perClassDice(), EPS, "per-class Dice");
    for (int k = 0; k < 3; k++) {
      assertEquals(doubles(iou)[k], m.iou(k), EPS);
      assertEquals(doubles(dice)[k], m.dice(k), EPS);
    }
    assertEquals(fraction(meanIoU), m.meanIoU(), EPS, "mIoU");
    assertEquals(fraction(accuracy), m.pixelAccuracy(), EPS, "pixel accuracy");
    assertEquals(fraction(foregroundIoU), m.foregroundIoU(1), EPS, "foreground IoU");
  }

  @Test
  void countsAreIndexedTruthThenPrediction() {
    ConfusionMatrix m = new ConfusionMatrix(3).add(map(3, "001 221"), map(3, "011 201"));
    long[][] expected = {{1, 1, 0}, {0, 2, 0}, {1, 0, 1}};
    for (int t = 0; t < 3; t++) {
      for (int p = 0; p < 3; p++) {
        assertEquals(expected[t][p], m.count(t, p), "count(" + t + ", " + p + ")");
      }
    }
    assertEquals(6, m.total());
  }

  @Test
  void meanIoUIsOverTheWholeSetNotAMeanOfImages() {
    ConfusionMatrix set = new ConfusionMatrix(3).add(map(2, "00"), map(2, "01")).add(map(2, "11"), map(2, "11"));
    // Set: IoU0 = 1/2, IoU1 = 2/3, class 2 absent → (1/2 + 2/3) / 2. Per image it would be (1/4 + 1) / 2.
    assertEquals((0.5 + 2.0 / 3) / 2, set.meanIoU(), EPS);
    double perImage = (new ConfusionMatrix(3).add(map(2, "00"), map(2, "01")).meanIoU()
        + new ConfusionMatrix(3).add(map(2, "11"), map(2, "11")).meanIoU()) / 2;
    assertEquals(0.625, perImage, EPS);
    assertNotEquals(perImage, set.meanIoU());
  }

  @Test
  void mergeEqualsAddingBoth() {
    ConfusionMatrix a = new ConfusionMatrix(3).add(map(4, "0011"), map(4, "0111"));
    ConfusionMatrix b = new ConfusionMatrix(3).add(map(3, "001 221"), map(3, "011 201"));
    ConfusionMatrix both = new ConfusionMatrix(3).add(map(4, "0011"), map(4, "0111"))
        .add(map(3, "001 221"), map(3, "011 201"));
    a.merge(b);
    assertArrayEquals(both.perClassIoU(), a.perClassIoU(), EPS);
    assertEquals(both.total(), a.total());
    assertThrows(IllegalArgumentException.class, () -> a.merge(new ConfusionMatrix(2)));
  }

  @Test
  void emptyMatrixHasNoScores() {
    ConfusionMatrix m = new ConfusionMatrix(3);
    assertTrue(Double.isNaN(m.meanIoU()));
    assertTrue(Double.isNaN(m.pixelAccuracy()));
    assertTrue(Double.isNaN(m.foregroundIoU(1)));
  }

  @Test
  void sizeMismatchNamesBothSizes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ConfusionMatrix(3).add(map(4, "0011"), map(2, "00 11")));
    assertTrue(e.getMessage().contains("4x1") && e.getMessage().contains("2x2"), e.getMessage());
  }

  @Test
  void labelOutsideTheClassesIsRejectedAndNotCounted() {
    ConfusionMatrix m = new ConfusionMatrix(2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.add(map(3, "012"), map(3, "000")));
    assertTrue(e.getMessage().contains("truth label 2") && e.getMessage().contains("(2, 0)"), e.getMessage());
    assertEquals(0, m.total());
  }

  @Test
  void binaryGroundTruthScoresPetAndBorderAsForeground() {
    LabelMap davis = new LabelMap(4, 1, new byte[] {0, (byte) 255, (byte) 255, 0});
    LabelMap petModel = map(4, "1022"); // background, pet, border, border
    LabelMap truth = BinaryMasks.fromMask(davis);
    LabelMap predicted = BinaryMasks.toForeground(petModel, 1);
    assertArrayEquals(new byte[] {0, 1, 1, 0}, truth.labels());
    assertArrayEquals(new byte[] {0, 1, 1, 1}, predicted.labels());
    ConfusionMatrix m = new ConfusionMatrix(2).add(truth, predicted);
    assertEquals(2.0 / 3, m.foregroundIoU(BinaryMasks.BACKGROUND), EPS);
    assertEquals(2.0 / 3, m.iou(BinaryMasks.FOREGROUND), EPS);
    assertEquals(3.0 / 4, m.pixelAccuracy(), EPS);
  }
}
