package org.segstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** --max-fps: which frames of a source are kept. */
class FrameSamplerTest {

  private static List<Integer> kept(FrameSampler sampler, double sourceFps, int frames, long offsetUs) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < frames; i++) {
      if (sampler.keep(offsetUs + Math.round(i * 1e6 / sourceFps))) {
        out.add(i);
      }
    }
    return out;
  }

  @ParameterizedTest
  @CsvSource({"30, 10, 30, 10", "30, 15, 30, 15", "29.97, 10, 300, 100", "25, 5, 50, 10", "30, 30, 30, 30", "30, 60, 30, 30", "30, 0, 30, 30"})
  void keepsTheAskedRateEvenly(double sourceFps, double maxFps, int frames, int expected) {
    List<Integer> kept = kept(new FrameSampler(maxFps), sourceFps, frames, 0);
    assertEquals(expected, kept.size(), kept.toString());
    if (maxFps > 0 && maxFps < sourceFps) {
      int step = (int) Math.round(sourceFps / maxFps);
      for (int i = 1; i < kept.size(); i++) {
        assertEquals(step, kept.get(i) - kept.get(i - 1), "evenly spaced: " + kept);
      }
    }
  }

  @Test
  void timestampsGoingBackwardsStartAfresh() {
    FrameSampler sampler = new FrameSampler(10);
    assertEquals(List.of(0, 3, 6, 9), kept(sampler, 30, 12, 5_000_000));
    // a reconnect: the source's clock starts again at 0, and its first frame is kept at once
    assertEquals(List.of(0, 3, 6, 9), kept(sampler, 30, 12, 0));
  }

  @Test
  void aPauseDoesNotReleaseABurst() {
    FrameSampler sampler = new FrameSampler(10);
    assertTrue(sampler.keep(0));
    assertTrue(sampler.keep(2_000_000), "after a 2 s pause the next frame is kept");
    assertEquals(false, sampler.keep(2_033_333), "and the one right after it is not: no catching up");
  }
}
