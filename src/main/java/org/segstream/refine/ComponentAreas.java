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
    byte[] l = labels.labels();
    provisional = new int[l.length];
    parent = new int[64];
    count = new long[64];
    Runs above = new Runs(width);
    Runs current = new Runs(width);
    for (int y = 0; y < labels.height(); y++) {
      labelRow(l, y * width, above, current, backgroundClass);
      Runs done = above;
      above = current;
      current = done;
    }
    foldCountsIntoRoots();
  }

  /** The runs of one row, reused from row to row: [start, end) and provisional label (-1: background). */
  private static final class Runs {
    final int[] start;
    final int[] end;
    final int[] label;
    int size;

    Runs(int width) {
      start = new int[width];
      end = new int[width];
      label = new int[width];
    }
  }

  /**
   * Cuts the row that starts at index {@code row} into runs of equal label, into {@code cur}: each
   * non-background run joins the runs of {@code prev} (the row above) it touches, or gets a new label.
   */
  private void labelRow(byte[] l, int row, Runs prev, Runs cur, int backgroundClass) {
    cur.size = 0;
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
        while (above < prev.size && prev.end[above] < x) {
          above++;
        }
        for (int q = above; q < prev.size && prev.start[q] <= end; q++) {
          if (prev.label[q] != -1 && l[row - width + prev.start[q]] == v) {
            label = union(label, prev.label[q]);
          }
        }
        if (label == -1) {
          label = newLabel();
        }
        count[label] += end - x;
      }
      Arrays.fill(provisional, row + x, row + end, label);
      cur.start[cur.size] = x;
      cur.end[cur.size] = end;
      cur.label[cur.size] = label;
      cur.size++;
      x = end;
    }
  }

  /** Moves every label's count to its region's root. */
  private void foldCountsIntoRoots() {
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
