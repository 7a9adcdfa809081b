package org.segstream.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.segstream.testing.LabelMaps.map;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreAccumulatorTest {

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
    assertTrue(Double.isNaN(all.labelFlipShare()));
    assertTrue(Double.isNaN(all.foregroundIoUSwing()), "an image set has no swing");
  }

  @Test
  void aVideosForegroundSwingIsTheMeanChangeOfTheFramesForegroundIoU() {
    ScoreAccumulator acc = new ScoreAccumulator(List.of("a", "b"), 0, 0);
    String[] predictions = {"0011 0011", "0111 0111", "0011 0011"}; // IoU 1, 2/3, 1 against the same truth
    for (int f = 0; f < predictions.length; f++) {
      acc.addToSequence(map(4, predictions[f]));
      acc.add(f, map(4, "0011 0011"), map(4, predictions[f]));
    }
    Scores all = acc.scores();
    assertEquals(1.0 / 3, all.foregroundIoUSwing(), 1e-12, "|2/3 - 1| twice, averaged");
    assertEquals(2.0 / 8, all.labelFlipShare(), 1e-12, "2 pixels flip in each pair of 8");
  }
}
