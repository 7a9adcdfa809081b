package org.segstream.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.segstream.image.LabelMap;

/** Identity scores on small cases computed by hand. */
class IdentityAccumulatorTest {
  private static ObjectBox box(long id, int x) {
    return new ObjectBox(id, x, 0, 10, 10);
  }

  private static IdentityScores score(List<List<ObjectBox>> truth, List<List<ObjectBox>> predicted) {
    IdentityAccumulator acc = new IdentityAccumulator();
    for (int f = 0; f < truth.size(); f++) {
      acc.add(truth.get(f), predicted.get(f));
    }
    return acc.result();
  }

  @Test
  void aPredictionThatChangesIdHalfWayIsOneSwitchAndHalfTheIdentity() {
    var truth = List.of(List.of(box(1, 0)), List.of(box(1, 0)), List.of(box(1, 0)), List.of(box(1, 0)));
    var predicted = List.of(List.of(box(7, 0)), List.of(box(7, 0)), List.of(box(8, 0)), List.of(box(8, 0)));
    IdentityScores s = score(truth, predicted);
    assertEquals(4, s.matches());
    assertEquals(1, s.idSwitches());
    assertEquals(0, s.fragmentations());
    assertEquals(2, s.idTruePositives(), "one true id gets one predicted id: 2 of its 4 frames");
    assertEquals(0.5, s.idf1(), 1e-12, "2·2 / (4 + 4)");
    assertEquals(0.75, s.mota(), 1e-12, "1 − (0 + 0 + 1) / 4");
  }

  @Test
  void aMissedFrameInARunIsAFragmentationNotASwitch() {
    var truth = List.of(List.of(box(1, 0)), List.of(box(1, 0)), List.of(box(1, 0)), List.of(box(1, 0)), List.of(box(1, 0)));
    List<List<ObjectBox>> predicted = List.of(List.of(box(3, 0)), List.of(box(3, 0)), List.of(), List.of(box(3, 1)), List.of(box(3, 2)));
    IdentityScores s = score(truth, predicted);
    assertEquals(4, s.matches());
    assertEquals(1, s.misses());
    assertEquals(0, s.idSwitches());
    assertEquals(1, s.fragmentations());
    assertEquals(2.0 * 4 / 9, s.idf1(), 1e-12);
    assertEquals(0.8, s.mota(), 1e-12);
  }

  @Test
  void anObjectAbsentFromTheTruthForAWhileIsNoFragmentation() {
    List<List<ObjectBox>> truth = List.of(List.of(box(1, 0)), List.of(), List.of(box(1, 0)));
    List<List<ObjectBox>> predicted = List.of(List.of(box(3, 0)), List.of(), List.of(box(3, 0)));
    IdentityScores s = score(truth, predicted);
    assertEquals(0, s.fragmentations());
    assertEquals(1.0, s.idf1(), 1e-12);
  }

  @Test
  void boxesOverlappingLessThanHalfDoNotMatch() {
    // 10x10 boxes 4 px apart: IoU = 60 / 140 < 0.5
    IdentityScores s = score(List.of(List.of(box(1, 0))), List.of(List.of(box(2, 4))));
    assertEquals(0, s.matches());
    assertEquals(1, s.misses());
    assertEquals(1, s.falsePositives());
    assertEquals(0.0, s.idf1());
    // 2 px apart: IoU = 80 / 120 ≥ 0.5
    assertEquals(1, score(List.of(List.of(box(1, 0))), List.of(List.of(box(2, 2)))).matches());
  }

  @Test
  void twoObjectsWhoseIdsSwapAreTwoSwitches() {
    var truth = List.of(List.of(box(1, 0), box(2, 50)), List.of(box(1, 0), box(2, 50)), List.of(box(1, 0), box(2, 50)),
        List.of(box(1, 0), box(2, 50)));
    var predicted = List.of(List.of(box(5, 0), box(6, 50)), List.of(box(5, 0), box(6, 50)), List.of(box(6, 0), box(5, 50)),
        List.of(box(6, 0), box(5, 50)));
    IdentityScores s = score(truth, predicted);
    assertEquals(2, s.idSwitches());
    assertEquals(4, s.idTruePositives());
    assertEquals(0.5, s.idf1(), 1e-12);
  }

  @Test
  void aMatchThatStillHoldsIsKeptOverABetterNewcomer() {
    var truth = List.of(List.of(box(1, 0)), List.of(box(1, 0)));
    var predicted = List.of(List.of(box(5, 2)), List.of(box(5, 2), box(6, 0)));
    IdentityScores s = score(truth, predicted);
    assertEquals(0, s.idSwitches(), "CLEAR MOT keeps the pair of the previous frame while IoU >= 0.5");
    assertEquals(1, s.falsePositives());
  }

  @Test
  void theAssignmentMaximisesTheTotalNotEachRowGreedily() {
    // greedy on row 0 would take 5 and leave row 1 with 1: 6; the best is 4 + 4 = 8
    assertEquals(8, IdentityAccumulator.maxWeightAssignment(new long[][] {{5, 4}, {4, 1}}));
    assertEquals(9, IdentityAccumulator.maxWeightAssignment(new long[][] {{1, 2, 9}}));
    assertEquals(9, IdentityAccumulator.maxWeightAssignment(new long[][] {{1}, {9}, {3}}));
  }

  @Test
  void boxesOfAnIdMap() {
    LabelMap ids = new LabelMap(4, 3, new byte[] {0, 1, 1, 0, 0, 1, 0, 2, 0, 0, 0, 2});
    assertEquals(List.of(new ObjectBox(1, 1, 0, 2, 2), new ObjectBox(2, 3, 1, 1, 2)), ObjectBox.of(ids));
    assertTrue(Double.isNaN(new IdentityAccumulator().result().idf1()));
  }
}
