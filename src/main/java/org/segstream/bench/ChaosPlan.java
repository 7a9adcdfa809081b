package org.segstream.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** When {@link ChaosBenchmark} disrupts the pipeline: a seeded plan of processor kills and one broker restart. */
public final class ChaosPlan {
  private ChaosPlan() {}

  /** One disruption: a processor kill and restart, or the broker's restart, when this many results are in. */
  public record Event(boolean brokerRestart, int atResults) {}

  /**
   * {@code kills} processor kills and one broker restart, in a seeded random order, each when a
   * seeded random share of the frames has its result: one per slot of an even split of 5 %..90 %
   * of the frames, so two disruptions never land on the same result and the last leaves frames
   * for the restarted processor to answer.
   */
  public static List<Event> plan(long seed, int kills, int frames) {
    Random random = new Random(seed);
    int events = kills + 1;
    int brokerAt = random.nextInt(events);
    double first = 0.05;
    double slot = 0.85 / events;
    List<Event> plan = new ArrayList<>();
    int previous = 0;
    for (int i = 0; i < events; i++) {
      int at = (int) Math.round(frames * (first + slot * (i + 0.2 + 0.6 * random.nextDouble())));
      at = Math.max(at, previous + 1);
      plan.add(new Event(i == brokerAt, at));
      previous = at;
    }
    return plan;
  }
}
