package org.segstream.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {
  @Test
  void nearestRankPercentilesOfOneToHundred() {
    List<Integer> values = new ArrayList<>();
    for (int i = 100; i >= 1; i--) {
      values.add(i);
    }
    LatencySummary s = LatencySummary.of(values);
    assertEquals(100, s.count());
    assertEquals(50, s.p50());
    assertEquals(95, s.p95());
    assertEquals(99, s.p99());
    assertEquals(100, s.max());
    assertEquals(50.5, s.mean(), 1e-9);
  }

  @Test
  void emptySetHasNoFigures() {
    LatencySummary s = LatencySummary.of(List.<Double>of());
    assertEquals(0, s.count());
    assertTrue(Double.isNaN(s.p50()));
  }
}
