package org.segstream.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gathers {@link IdentityScores} frame by frame. Per frame (CLEAR MOT, Bernardin & Stiefelhagen 2008): a true object
 * keeps the prediction it was matched to in the previous frame while their IoU stays ≥ {@link #MATCH_IOU}; the rest
 * are matched greedily, highest IoU first. Across the clip, IDF1 assigns true ids to predicted ids one to one
 * (Hungarian) to match the most frames. Memory grows with the number of distinct ids, not frames.
 */
public final class IdentityAccumulator {
  /** The MOT convention. */
  public static final double MATCH_IOU = 0.5;

  private int frames;
  private long truthObjects;
  private long predictions;
  private long matches;
  private long idSwitches;
  private long fragmentations;
  /** True id → the predicted id of its last match (kept over gaps), for ID switches. */
  private final Map<Long, Long> lastMatch = new HashMap<>();
  /** True id → matched in the previous frame (CLEAR MOT keeps those pairs). */
  private Map<Long, Long> previousFrame = new HashMap<>();
  /** True ids matched at their last appearance. */
  private final Set<Long> trackedAtLastSight = new HashSet<>();
  /** (true id, predicted id) → frames in which they overlap at IoU ≥ MATCH_IOU. */
  private final Map<Long, Map<Long, Long>> overlapFrames = new HashMap<>();

  /** One frame's true and predicted objects (ids unique within each list). */
  public void add(List<ObjectBox> truth, List<ObjectBox> predicted) {
    frames++;
    truthObjects += truth.size();
    predictions += predicted.size();
    for (ObjectBox t : truth) {
      for (ObjectBox p : predicted) {
        if (t.iou(p) >= MATCH_IOU) {
          overlapFrames.computeIfAbsent(t.id(), k -> new HashMap<>()).merge(p.id(), 1L, Long::sum);
        }
      }
    }
    Map<Long, Long> matched = new HashMap<>(); // true id → predicted id
    Set<Long> taken = new HashSet<>();
    Map<Long, ObjectBox> predictedById = new HashMap<>();
    for (ObjectBox p : predicted) {
      predictedById.put(p.id(), p);
    }
    for (ObjectBox t : truth) {
      Long before = previousFrame.get(t.id());
      ObjectBox p = before == null ? null : predictedById.get(before);
      if (p != null && !taken.contains(p.id()) && t.iou(p) >= MATCH_IOU) {
        matched.put(t.id(), p.id());
        taken.add(p.id());
      }
    }
    List<double[]> pairs = new ArrayList<>();
    for (int i = 0; i < truth.size(); i++) {
      if (matched.containsKey(truth.get(i).id())) {
        continue;
      }
      for (int j = 0; j < predicted.size(); j++) {
        double iou = truth.get(i).iou(predicted.get(j));
        if (iou >= MATCH_IOU && !taken.contains(predicted.get(j).id())) {
          pairs.add(new double[] {iou, i, j});
        }
      }
    }
    pairs.sort((a, b) -> Double.compare(b[0], a[0]));
    for (double[] pair : pairs) {
      long t = truth.get((int) pair[1]).id();
      long p = predicted.get((int) pair[2]).id();
      if (!matched.containsKey(t) && !taken.contains(p)) {
        matched.put(t, p);
        taken.add(p);
      }
    }
    for (ObjectBox t : truth) {
      Long p = matched.get(t.id());
      if (p == null) {
        trackedAtLastSight.remove(t.id());
        continue;
      }
      Long last = lastMatch.put(t.id(), p);
      if (last != null && !last.equals(p)) {
        idSwitches++;
      }
      if (last != null && !trackedAtLastSight.contains(t.id())) {
        fragmentations++;
      }
      trackedAtLastSight.add(t.id());
    }
    matches += matched.size();
    previousFrame = matched;
  }

  public IdentityScores result() {
    long idtp = bestAssignment();
    long misses = truthObjects - matches;
    long falsePositives = predictions - matches;
    long all = truthObjects + predictions;
    return new IdentityScores(frames, truthObjects, predictions, matches, misses, falsePositives, idSwitches,
        fragmentations, idtp,
        all == 0 ? Double.NaN : 2.0 * idtp / all,
        predictions == 0 ? Double.NaN : (double) idtp / predictions,
        truthObjects == 0 ? Double.NaN : (double) idtp / truthObjects,
        truthObjects == 0 ? Double.NaN : 1 - (double) (misses + falsePositives + idSwitches) / truthObjects);
  }

  /** IDTP: the most overlapping frames a one-to-one assignment of true to predicted ids collects. */
  private long bestAssignment() {
    List<Long> rows = new ArrayList<>(overlapFrames.keySet());
    Map<Long, Integer> column = new HashMap<>();
    for (Map<Long, Long> byPredicted : overlapFrames.values()) {
      for (Long p : byPredicted.keySet()) {
        column.putIfAbsent(p, column.size());
      }
    }
    if (rows.isEmpty()) {
      return 0;
    }
    long[][] weight = new long[rows.size()][column.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (Map.Entry<Long, Long> e : overlapFrames.get(rows.get(i)).entrySet()) {
        weight[i][column.get(e.getKey())] = e.getValue();
      }
    }
    return maxWeightAssignment(weight);
  }

  /** The largest total weight of a one-to-one assignment of rows to columns (Hungarian method, O(n² m)). */
  static long maxWeightAssignment(long[][] weight) {
    int rows = weight.length;
    int cols = rows == 0 ? 0 : weight[0].length;
    if (rows == 0 || cols == 0) {
      return 0;
    }
    if (rows > cols) {
      long[][] t = new long[cols][rows];
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          t[j][i] = weight[i][j];
        }
      }
      return maxWeightAssignment(t);
    }
    int n = rows;
    int m = cols;
    long inf = Long.MAX_VALUE / 4;
    long[] u = new long[n + 1];
    long[] v = new long[m + 1];
    int[] match = new int[m + 1]; // column → row (1-based), 0 = free
    int[] way = new int[m + 1];
    for (int i = 1; i <= n; i++) {
      match[0] = i;
      int j0 = 0;
      long[] minv = new long[m + 1];
      Arrays.fill(minv, inf);
      boolean[] used = new boolean[m + 1];
      do {
        used[j0] = true;
        int i0 = match[j0];
        long delta = inf;
        int j1 = 0;
        for (int j = 1; j <= m; j++) {
          if (!used[j]) {
            long cur = -weight[i0 - 1][j - 1] - u[i0] - v[j]; // minimise the negated weight
            if (cur < minv[j]) {
              minv[j] = cur;
              way[j] = j0;
            }
            if (minv[j] < delta) {
              delta = minv[j];
              j1 = j;
            }
          }
        }
        for (int j = 0; j <= m; j++) {
          if (used[j]) {
            u[match[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (match[j0] != 0);
      do {
        int j1 = way[j0];
        match[j0] = match[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    long total = 0;
    for (int j = 1; j <= m; j++) {
      if (match[j] != 0) {
        total += weight[match[j] - 1][j - 1];
      }
    }
    return total;
  }
}
