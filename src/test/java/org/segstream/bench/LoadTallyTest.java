package org.segstream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.segstream.segment.LeftOut;

/** The per-load bookkeeping of {@code bench load} and its table (the run itself: BenchLoadCommandIT). */
class LoadTallyTest {
  private static final LoadResult.Accuracy ACCURACY = new LoadResult.Accuracy(0.8, 0.9);

  @Test
  void everyFrameOnceGivesSharesOfTheResultsAndTheirLatency() {
    LoadTally tally = new LoadTally(2, 5);
    LeftOut.Part[] parts = {null, null, LeftOut.Part.FULL_RESOLUTION_REFINEMENT, LeftOut.Part.REFINEMENT, LeftOut.Part.SEGMENTATION};
    for (int s = 0; s < 2; s++) {
      for (int seq = 0; seq < 5; seq++) {
        long capture = 1_000 + seq * 100L + s * 50L;
        tally.add(s, seq, parts[seq], capture, capture + 10 * (seq + 1));
      }
    }
    LoadResult.Load load = tally.load(60, ACCURACY);
    assertTrue(load.exactlyOnce(), load.toString());
    assertEquals(10, load.results());
    assertEquals(0, load.missing());
    assertEquals(0, load.repeated());
    assertEquals(0.4, load.shares().full(), 1e-9);
    assertEquals(0.2, load.shares().reducedRefinement(), 1e-9);
    assertEquals(0.2, load.shares().unrefined(), 1e-9);
    assertEquals(0.2, load.shares().skipped(), 1e-9);
    assertEquals(1.0, load.shares().sum(), 1e-9);
    assertEquals(10, load.latency().count());
    assertEquals(50, load.latency().max(), 1e-9);
    assertEquals(30, load.latency().p50(), 1e-9);
    // 10 results from the first capture (1000) to the last result (1000 + 400 + 50 + 50)
    assertEquals(10 / 0.5, load.achievedPerSecond(), 1e-9);
  }

  @Test
  void aMissingARepeatedAndAnUnfedFrameAreNamed() {
    LoadTally tally = new LoadTally(2, 3);
    tally.add(0, 0, null, 0, 10);
    tally.add(0, 1, null, 33, 43);
    tally.add(0, 1, null, 33, 44); // repeated
    tally.add(0, 2, null, 66, 76);
    tally.add(1, 0, null, 16, 26);
    tally.add(1, 2, null, 82, 92); // 1 has no result
    tally.add(1, 3, null, 99, 109); // never fed
    LoadResult.Load load = tally.load(60, ACCURACY);
    assertFalse(load.exactlyOnce());
    assertEquals(1, load.missing());
    assertEquals(2, load.repeated());
    assertEquals(7, load.results());
    assertTrue(load.examples().contains("stream 0 #1 x2"), load.examples().toString());
    assertTrue(load.examples().contains("stream 1 #1 x0"), load.examples().toString());
    assertTrue(load.examples().contains("stream 1 #3 (never fed)"), load.examples().toString());
    LoadResult result = new LoadResult("setup", 200, List.of(load));
    assertFalse(result.exactlyOnce());
    assertTrue(result.failure().contains("at 2 stream(s), 1 frame(s) without a result and 2 with more than one (of 6 fed)"),
        result.failure());
  }

  @Test
  void theTableHasARowPerLoadAndSaysWhetherP99KeptTheBudget() {
    LoadTally fast = new LoadTally(1, 2);
    fast.add(0, 0, null, 0, 100);
    fast.add(0, 1, LeftOut.Part.REFINEMENT, 33, 133);
    LoadTally slow = new LoadTally(2, 1);
    slow.add(0, 0, null, 0, 150);
    slow.add(1, 0, LeftOut.Part.SEGMENTATION, 16, 316);
    LoadResult result = new LoadResult("model x", 200, List.of(fast.load(30, ACCURACY), slow.load(60, new LoadResult.Accuracy(0.5, Double.NaN))));
    StringWriter text = new StringWriter();
    result.print(new PrintWriter(text));
    String out = text.toString();
    assertTrue(out.contains("\nmodel x\n"), out);
    assertTrue(out.contains("\n| 1 | 30.0 | 15.0 | 100 / 100 / 100 | yes | 0.500 | 0.000 | 0.500 | 0.000 | 0.8000 | 0.9000 | 2 / 2 | 0 | 0 |\n"), out);
    assertTrue(out.contains("\n| 2 | 60.0 | 6.3 | 150 / 300 / 300 | no | 0.500 | 0.000 | 0.000 | 0.500 | 0.5000 | NaN | 2 / 2 | 0 | 0 |\n"), out);
    assertTrue(out.contains("exactly one result per frame: yes (4 frames at 2 loads)"), out);
  }

  @Test
  void noBudgetIsSaidSo() {
    LoadTally tally = new LoadTally(1, 1);
    tally.add(0, 0, null, 0, 500);
    StringWriter text = new StringWriter();
    new LoadResult("setup", 0, List.of(tally.load(30, ACCURACY))).print(new PrintWriter(text));
    assertTrue(text.toString().contains("| 500 / 500 / 500 | no budget |"), text.toString());
  }
}
