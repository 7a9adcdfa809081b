package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The disruption plan of {@code bench chaos}, and its usage errors (the run itself: BenchChaosCommandIT). */
class BenchChaosCommandTest {
  @ParameterizedTest
  @CsvSource({"1, 10, 5000", "7, 10, 5000", "1, 2, 300", "3, 0, 100", "5, 20, 60"})
  void planHasEveryKillAndOneBrokerRestartInOrderBeforeTheEnd(long seed, int kills, int frames) {
    List<BenchChaosCommand.Event> plan = BenchChaosCommand.plan(seed, kills, frames);
    assertEquals(kills + 1, plan.size());
    assertEquals(1, plan.stream().filter(BenchChaosCommand.Event::brokerRestart).count());
    int previous = 0;
    for (BenchChaosCommand.Event e : plan) {
      assertTrue(e.atResults() > previous, "strictly increasing: " + plan);
      previous = e.atResults();
    }
    assertTrue(previous <= Math.max(kills + 1, Math.round(frames * 0.9)), "frames are left after the last disruption: " + plan);
    assertEquals(plan, BenchChaosCommand.plan(seed, kills, frames), "the same seed, the same plan");
  }

  @ParameterizedTest
  @CsvSource({"1, 2", "2, 3"})
  void differentSeedsMoveTheDisruptions(long a, long b) {
    assertNotEquals(BenchChaosCommand.plan(a, 10, 5000), BenchChaosCommand.plan(b, 10, 5000));
  }

  @ParameterizedTest
  @CsvSource({"--frames, 3, --streams, 4", "--kills, -1, --frames, 100", "--kills, 60, --frames, 100", "--rate, 0, --frames, 100"})
  void badSizesAreUsageErrors(String flag, String value, String flag2, String value2) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SegstreamCli.execute(new String[] {"bench", "chaos", flag, value, flag2, value2}, Map.of(),
        new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains(flag), err.toString());
  }
}
