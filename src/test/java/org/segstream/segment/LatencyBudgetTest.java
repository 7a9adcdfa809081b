package org.segstream.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyBudgetTest {
  private static final long NOW = 1_000_000;

  @Test
  void offNeverLeavesAnythingOut() {
    LatencyBudget off = new LatencyBudget(Duration.ZERO);
    off.recordInference(1000);
    off.recordRefine(1000, 100);
    assertEquals(Long.MAX_VALUE, off.dueWallMs(NOW));
    assertNull(off.skip(NOW - 10_000, NOW, 5));
    assertInstanceOf(LatencyBudget.Full.class, off.planRefine(NOW - 10_000, NOW, 76_800, 320));
  }

  @Test
  void decisionsPlanWithTwoFifthsOfTheBudget() {
    LatencyBudget budget = new LatencyBudget(Duration.ofMillis(250));
    assertEquals(NOW + 100, budget.dueWallMs(NOW));
    budget.recordInference(30);
    assertNull(budget.skip(budget.dueWallMs(NOW), NOW + 60, 0), "40 ms left of the 100 planned, 30 needed");
    LeftOut skipped = budget.skip(budget.dueWallMs(NOW), NOW + 80, 0);
    assertEquals(LeftOut.Part.SEGMENTATION, skipped.part(), "20 ms left of the 100 planned, though 170 of the budget");
    assertTrue(skipped.reason().contains("of the 100 ms planned (two fifths of the 250 ms latency budget)"), skipped.reason());
  }

  @Test
  void refinesFullyUntilTheFirstMeasurementThenByTheTimeLeft() {
    LatencyBudget budget = new LatencyBudget(Duration.ofMillis(500));
    long due = budget.dueWallMs(NOW);
    assertEquals(NOW + 200, due);
    // nothing measured yet: no reason to leave anything out
    assertInstanceOf(LatencyBudget.Full.class, budget.planRefine(due, NOW + 190, 76_800, 320));
    budget.recordRefine(40, 76_800); // 40 ms at 320x240
    budget.recordFinish(5);
    assertInstanceOf(LatencyBudget.Full.class, budget.planRefine(due, NOW + 100, 76_800, 320), "95 ms left, 40 needed");
    LatencyBudget.RefinePlan reduced = budget.planRefine(due, NOW + 170, 76_800, 320);
    LatencyBudget.Reduced r = assertInstanceOf(LatencyBudget.Reduced.class, reduced, "25 ms left: 10 ms at half size fits");
    assertEquals(160, r.maxSize());
    assertEquals(LeftOut.Part.FULL_RESOLUTION_REFINEMENT, r.leftOut().part());
    assertTrue(r.leftOut().reason().contains("160 px instead of 320 px"), r.leftOut().reason());
    LatencyBudget.Unrefined u = assertInstanceOf(LatencyBudget.Unrefined.class, budget.planRefine(due, NOW + 190, 76_800, 320));
    assertEquals(LeftOut.Part.REFINEMENT, u.leftOut().part());
  }

  @Test
  void skipsAFrameThatCannotMakeItEvenUnrefinedBehindTheBatchesAhead() {
    LatencyBudget budget = new LatencyBudget(Duration.ofMillis(500));
    long due = budget.dueWallMs(NOW);
    assertNull(budget.skip(due, NOW + 5_000, 1), "nothing is skipped before the model has been measured once");
    budget.recordInference(50);
    assertEquals(LeftOut.Part.SEGMENTATION, budget.skip(due, NOW + 201, 0).part(), "past its due time");
    assertNull(budget.skip(due, NOW + 100, 1), "100 ms left, two batches of 50 ms");
    LeftOut skipped = budget.skip(due, NOW + 120, 1);
    assertEquals(LeftOut.Part.SEGMENTATION, skipped.part());
    assertTrue(skipped.reason().contains("80 ms left at the model of the 200 ms planned (two fifths of the 500 ms latency budget)"), skipped.reason());
  }

  @Test
  void anOverloadedMachinesTurnaroundToTheModelCountsWhenItIsLongerThanTheModelCalls() {
    LatencyBudget budget = new LatencyBudget(Duration.ofMillis(500));
    long due = budget.dueWallMs(NOW);
    budget.recordInference(20);
    assertNull(budget.skip(due, NOW + 100, 0), "100 ms left, one model call of 20 ms");
    // batches waited for the cores: 150 ms from submit until the model had answered them
    budget.recordModelTurnaround(150);
    LeftOut skipped = budget.skip(due, NOW + 100, 0);
    assertEquals(LeftOut.Part.SEGMENTATION, skipped.part(), "100 ms left, 150 ms to the model's answer");
    assertTrue(skipped.reason().contains("takes about 150 ms"), skipped.reason());
    assertNull(budget.skip(due, NOW + 30, 0), "170 ms left");
    // many batches ahead: the model calls count again
    assertEquals(LeftOut.Part.SEGMENTATION, budget.skip(due, NOW + 30, 8).part(), "9 calls of 20 ms");
  }

  @Test
  void theEstimatesFollowTheLoadBothWays() {
    LatencyBudget budget = new LatencyBudget(Duration.ofMillis(500));
    long due = budget.dueWallMs(NOW);
    budget.recordRefine(20, 10_000);
    for (int i = 0; i < 30; i++) {
      budget.recordRefine(1000, 10_000); // under load: even half size (250 ms) misses
    }
    assertInstanceOf(LatencyBudget.Unrefined.class, budget.planRefine(due, NOW, 10_000, 320));
    for (int i = 0; i < 30; i++) {
      budget.recordRefine(20, 10_000); // the load is gone
    }
    assertInstanceOf(LatencyBudget.Full.class, budget.planRefine(due, NOW, 10_000, 320));
  }

  /** What is never run is never measured: a stale estimate lets one batch, one full refinement through. */
  @Test
  void aStaleEstimateIsTriedAgainOnceSoTheBudgetRecoversWhenTheLoadGoes() {
    LatencyBudget budget = new LatencyBudget(Duration.ofMillis(500));
    long now = System.currentTimeMillis(); // the estimates are dated by the real clock
    budget.recordInference(500); // a model call under heavy load
    budget.recordRefine(1000, 10_000);
    long due = budget.dueWallMs(now);
    assertEquals(LeftOut.Part.SEGMENTATION, budget.skip(due, now, 0).part());
    assertInstanceOf(LatencyBudget.Unrefined.class, budget.planRefine(due, now, 10_000, 320));
    long later = now + LatencyBudget.STALE_AFTER_MS + 10;
    long dueLater = budget.dueWallMs(later);
    assertNull(budget.skip(dueLater, later, 0), "one batch goes to the model to measure it again");
    assertEquals(LeftOut.Part.SEGMENTATION, budget.skip(dueLater, later + 1, 0).part(), "only one");
    assertInstanceOf(LatencyBudget.Full.class, budget.planRefine(dueLater, later, 10_000, 320), "one full refinement");
    assertInstanceOf(LatencyBudget.Unrefined.class, budget.planRefine(dueLater, later + 1, 10_000, 320), "only one");
  }

  @Test
  void aNegativeBudgetIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new LatencyBudget(Duration.ofMillis(-1)));
  }
}
