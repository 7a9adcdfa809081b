package org.segstream.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.segstream.dataset.Example;

/**
 * Which training pair example k uses: a fresh shuffle of the pairs per epoch, or (balanced) a breed
 * drawn uniformly, then a pair of that breed. A pure function of (seed, k) and the random source.
 */
final class PairSampler {
  private final long seed;
  private final int count;
  private final boolean balanced;
  private final int[][] breeds;
  private long permutationEpoch = -1;
  private int[] permutation;

  PairSampler(List<Example> pairs, long seed, boolean balanced) {
    this.seed = seed;
    this.count = pairs.size();
    this.balanced = balanced;
    this.breeds = groupByBreed(pairs);
  }

  int pick(long k, SplittableRandom random) {
    if (balanced) {
      int[] breed = breeds[random.nextInt(breeds.length)];
      return breed[random.nextInt(breed.length)];
    }
    long epoch = k / count;
    if (epoch != permutationEpoch) {
      List<Integer> order = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        order.add(i);
      }
      Collections.shuffle(order, new Random(mix(seed ^ 0x5eedL, epoch)));
      permutation = order.stream().mapToInt(Integer::intValue).toArray();
      permutationEpoch = epoch;
    }
    return permutation[(int) (k % count)];
  }

  int breedCount() {
    return breeds.length;
  }

  /** The breed of a pair: its name without a trailing {@code _<digits>} (Oxford names: {@code Breed_Name_12}). */
  static String breedOf(String name) {
    return name.replaceFirst("_\\d+$", "");
  }

  private static int[][] groupByBreed(List<Example> examples) {
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < examples.size(); i++) {
      groups.computeIfAbsent(breedOf(examples.get(i).name()), b -> new ArrayList<>()).add(i);
    }
    return groups.values().stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
  }

  static long mix(long seed, long k) {
    long z = seed * 0x9E3779B97F4A7C15L + k;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
