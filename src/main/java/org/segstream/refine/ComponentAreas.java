package org.segstream.refine;

import java.util.Arrays;
import org.segstream.image.LabelMap;

/**
 * Pixel counts of the 8-connected regions of equal label (background skipped), by one-pass union–find
 * labelling of all classes at once. Single-threaded on purpose: OpenCV's parallel connected-components call
 * took milliseconds per class on a loaded two-core machine, far more than its work.
 */
final class ComponentAreas {
  private final int width;
  private final int[] provisional;
  private int[] parent;
  private long[] count;

  ComponentAreas(LabelMap labels, int backgroundClass) {
    width = labels.width();
    int h = labels.height();
    byte[] l = labels.labels();
    provisional = new int[l.length];
    parent = new int[64];
    count = new long[64];
    int next = 0;
    for (int y = 0, i = 0; y < h; y++) {
      for (int x = 0; x < width; x++, i++) {
        byte v = l[i];
        if ((v & 0xff) == backgroundClass) {
          provisional[i] = -1;
          continue;
        }
        int label = -1;
        // Already visited 8-neighbours: west, north-west, north, north-east.
        if (x > 0 && l[i - 1] == v) {
          label = union(label, provisional[i - 1]);
        }
        if (y > 0) {
          int up = i - width;
          if (x > 0 && l[up - 1] == v) {
            label = union(label, provisional[up - 1]);
          }
          if (l[up] == v) {
            label = union(label, provisional[up]);
          }
          if (x + 1 < width && l[up + 1] == v) {
            label = union(label, provisional[up + 1]);
          }
        }
        if (label == -1) {
          if (next == parent.length) {
            parent = Arrays.copyOf(parent, 2 * next);
            count = Arrays.copyOf(count, 2 * next);
          }
          parent[next] = next;
          label = next++;
        }
        provisional[i] = label;
        count[label]++;
      }
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
