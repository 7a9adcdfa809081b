package org.segstream.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.segstream.testing.LabelMaps.map;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.image.LabelMap;
import org.segstream.metrics.BinaryMasks;
import org.segstream.metrics.FrameScore;
import org.segstream.metrics.ScoreAccumulator;
import org.segstream.metrics.Scores;

class GroundTruthFormatTest {
  private static final List<String> PETS = List.of("pet", "background", "border");

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource({
    "TRIMAP, '1 2 3 2', '0 1 2 1'",
    "INDEX,  '0 1 2 1', '0 1 2 1'",
  })
  void truthLabels(GroundTruthFormat format, String mask, String expected) {
    assertArrayEquals(map(4, expected).labels(), format.truth(map(4, mask), 3).labels());
  }

  @Test
  void binaryMaskIsForegroundAgainstBackground() {
    LabelMap mask = new LabelMap(4, 1, new byte[] {0, (byte) 255, 0, 1});
    assertArrayEquals(new byte[] {0, 1, 0, 1}, GroundTruthFormat.BINARY.truth(mask, 3).labels());
    // a pet model's pet and border are foreground, its background class (1) is background
    assertArrayEquals(new byte[] {1, 0, 1, 0}, GroundTruthFormat.BINARY.prediction(map(4, "0 1 2 1"), 1).labels());
    assertEquals(List.of("background", "foreground"), GroundTruthFormat.BINARY.scoredClasses(PETS));
    assertEquals(BinaryMasks.BACKGROUND, GroundTruthFormat.BINARY.scoredBackground(1));
    assertEquals(PETS, GroundTruthFormat.TRIMAP.scoredClasses(PETS));
    assertEquals(1, GroundTruthFormat.TRIMAP.scoredBackground(1));
  }

  @ParameterizedTest(name = "{0} rejects {1}")
  @CsvSource({
    "TRIMAP, '1 0 2 3'",
    "TRIMAP, '1 4 2 3'",
    "INDEX,  '0 3 1 2'",
  })
  void valuesOutsideTheFormatAreRejectedWithAHint(GroundTruthFormat format, String mask) {
    var e = assertThrows(IllegalArgumentException.class, () -> format.truth(map(4, mask), 3));
    assertTrue(e.getMessage().contains("--gt-format"), e.getMessage());
  }

  @Test
  void accumulatorScoresAtTheTruthsResolution() {
    ScoreAccumulator acc = new ScoreAccumulator(List.of("a", "b"), 1, 0);
    // the prediction at half size is resized (nearest) to the 4x2 truth: every pixel right
    FrameScore s = acc.add(7, map(4, "0011 0011"), map(2, "01"));
    assertEquals(7, s.sequence());
    assertEquals(1.0, s.meanIoU(), 1e-12);
    assertEquals(1.0, s.boundaryF(), 1e-12);
    FrameScore wrong = acc.add(8, map(4, "0011 0011"), map(4, "1111 1111"));
    assertEquals(0.0, wrong.foregroundIoU(), 1e-12);
    Scores all = acc.scores();
    assertEquals(2, all.frames());
    assertEquals(12.0 / 16, all.pixelAccuracy(), 1e-12, "totals over the set, not a mean of frames");
    assertEquals(4.0 / 8, all.foregroundIoU(), 1e-12);
    assertEquals(0.5, all.boundaryF(), 1e-12, "boundary F is the mean of the frames'");
    assertTrue(Double.isNaN(all.temporalStability()), "no predictions added to the sequence");
  }
}
