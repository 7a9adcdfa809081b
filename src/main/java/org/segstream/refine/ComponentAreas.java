package org.segstream.refine;

import java.util.Arrays;
import org.segstream.image.LabelMap;

/**
 * Pixel counts of the 8-connected regions of equal label (background skipped), by one-pass union–find
 * over runs of equal label: a row's run joins the runs of the row above that touch it (diagonals
 * included), so the work grows with the number of runs, not of pixels. Single-threaded on purpose:
 * OpenCV's parallel connected-components call took milliseconds per class on a loaded two-core
 * machine, far more than its work.
 */
final class ComponentAreas {
  private final int width;
  private final int[] provisional;
  private int[] parent;
  private long[] count;
  private int next;

  ComponentAreas(LabelMap labels, int backgroundClass) {
    width = labels.width();
    int h = labels.height();
    byte[] l = labels.labels();
    provisional = new int[l.length];
    parent = new int[64];
    count = new long[64];
    // runs of the row above and of this row: [start, end), label (-1: background), value
    int[] prevStart = new int[width];
    int[] prevEnd = new int[width];
    int[] prevLabel = new int[width];
    int prevRuns = 0;
    int[] curStart = new int[width];
    int[] curEnd = new int[width];
    int[] curLabel = new int[width];
    for (int y = 0; y < h; y++) {
      int row = y * width;
      int curRuns = 0;
      int above = 0;
      for (int x = 0; x < width; ) {
        byte v = l[row + x];
        int end = x + 1;
        while (end < width && l[row + end] == v) {
          end++;
        }
        int label = -1;
        if ((v & 0xff) != backgroundClass) {
          // runs above that touch [x - 1, end] share an edge or a corner with this one
          while (above < prevRuns && prevEnd[above] < x) {
            above++;
          }
          for (int q = above; q < prevRuns && prevStart[q] <= end; q++) {
            if (prevLabel[q] != -1 && l[row - width + prevStart[q]] == v) {
              label = union(label, prevLabel[q]);
            }
          }
          if (label == -1) {
            label = newLabel();
          }
          count[label] += end - x;
        }
        Arrays.fill(provisional, row + x, row + end, label);
        curStart[curRuns] = x;
        curEnd[curRuns] = end;
        curLabel[curRuns] = label;
        curRuns++;
        x = end;
      }
      int[] t = prevStart;
      prevStart = curStart;
      curStart = t;
      t = prevEnd;
      prevEnd = curEnd;
      curEnd = t;
      t = prevLabel;
      prevLabel = curLabel;
      curLabel = t;
      prevRuns = curRuns;
    }
    // Fold counts into the roots.
    for (int k = 0; k < next; k++) {
      int root = find(k);
      if (root != k) {
        count[root] += count[k];
        count[k] = 0;
      }
    }
  }

  private int newLabel() {
    if (next == parent.length) {
      parent = Arrays.copyOf(parent, 2 * next);
      count = Arrays.copyOf(count, 2 * next);
    }
    parent[next] = next;
    return next++;
  }

  /** The pixel count of the region holding pixel (x, y), which must not be background. */
  long areaAt(int x, int y) {
    return count[find(provisional[y * width + x])];
  }

  private int union(int a, int b) {
    if (a == -1) {
      return find(b);
    }
    int ra = find(a);
    int rb = find(b);
    if (ra == rb) {
      return ra;
    }
    int root = Math.min(ra, rb);
    parent[Math.max(ra, rb)] = root;
    return root;
  }

  private int find(int k) {
    int root = k;
    while (parent[root] != root) {
      root = parent[root];
    }
    while (parent[k] != root) {
      int up = parent[k];
      parent[k] = root;
      k = up;
    }
    return root;
  }
}
