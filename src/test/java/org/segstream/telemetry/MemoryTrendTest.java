package org.segstream.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The soak's verdict: spread (max − min) / min against the limit, and the least-squares trend. */
class MemoryTrendTest {
  /** Points one minute apart, in MB. */
  private static List<MemoryTrend.Point> series(double... mb) {
    List<MemoryTrend.Point> points = new ArrayList<>();
    for (int i = 0; i < mb.length; i++) {
      points.add(new MemoryTrend.Point(i, Math.round(mb[i] * 1e6)));
    }
    return points;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
    // series (MB);                 spread; slope MB/min; flat at 10 %
    "1000 1000 1000 1000;            0.00;    0.0;   true",
    "1000 1020 1040 1060 1080 1100;  0.10;   20.0;   true",
    "1000 1030 1060 1090 1120 1150;  0.15;   30.0;   false",
    "1000 1050 1000 1050;            0.05;   10.0;   true",
    "1009 1000 811 812;              0.2441; -78.0;  false",
  })
  void spreadSlopeAndVerdict(String mb, double spread, double slope, boolean flat) {
    double[] values = java.util.Arrays.stream(mb.trim().split(" +")).mapToDouble(Double::parseDouble).toArray();
    MemoryTrend trend = MemoryTrend.of(series(values));
    assertEquals(values.length, trend.samples());
    assertEquals(spread, trend.spread(), 1e-4);
    assertEquals(slope, trend.slopeMbPerMinute(), 0.05);
    assertEquals(flat, trend.flat(0.10));
  }

  @Test
  void needsTwoSamplesAndKnownSizes() {
    assertThrows(IllegalArgumentException.class, () -> MemoryTrend.of(series(1000)));
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> MemoryTrend.of(List.of(new MemoryTrend.Point(0, 1_000_000_000L), new MemoryTrend.Point(1, -1))));
    assertEquals("resident memory unknown (-1) at minute 1.0", unknown.getMessage());
  }
}
