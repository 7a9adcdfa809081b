package org.segstream.track;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.segstream.image.LabelMap;
import org.segstream.refine.Contour;
import org.segstream.refine.Polyline;

/**
 * The 8-connected components of a label map's foreground (every class but the background), found on runs of
 * foreground pixels rather than pixel by pixel: one scan of the bytes, a union-find over the runs, then the
 * statistics from the runs. Scratch memory grows with the number of runs (not the pixels) and is reused from
 * frame to frame. One instance per thread.
 */
final class ForegroundComponents {
  /**
   * At most this many components per frame (the largest are kept): {@link Tracker} relies on it to keep ids of
   * different epochs apart.
   */
  static final int MAX_PER_FRAME = 1023;

  private int[] runY = new int[256];
  private int[] runStart = new int[256];
  private int[] runEnd = new int[256]; // exclusive
  private int[] parent = new int[256];
  private int[] rowFirstRun = new int[0];
  private int runs;

  /**
   * @param minArea components of fewer pixels are left out (the contour stage's minimum area)
   * @param contours the frame's contours: each component gets the index of the one that traces its outside
   */
  List<Blob> find(LabelMap map, int backgroundClass, double minArea, List<Contour> contours) {
    int w = map.width();
    int h = map.height();
    scanRuns(map.labels(), w, h, (byte) backgroundClass);
    // roots → compact component numbers, with area, box and coordinate sums
    int[] component = new int[runs];
    int count = 0;
    int[] rootComponent = new int[runs];
    Arrays.fill(rootComponent, -1);
    for (int r = 0; r < runs; r++) {
      int root = find(r);
      if (rootComponent[root] < 0) {
        rootComponent[root] = count++;
      }
      component[r] = rootComponent[root];
    }
    long[] area = new long[count];
    int[] minX = new int[count];
    int[] maxX = new int[count];
    int[] minY = new int[count];
    int[] maxY = new int[count];
    double[] sumX = new double[count];
    double[] sumY = new double[count];
    Arrays.fill(minX, Integer.MAX_VALUE);
    Arrays.fill(minY, Integer.MAX_VALUE);
    Arrays.fill(maxX, -1);
    Arrays.fill(maxY, -1);
    for (int r = 0; r < runs; r++) {
      int c = component[r];
      int n = runEnd[r] - runStart[r];
      area[c] += n;
      minX[c] = Math.min(minX[c], runStart[r]);
      maxX[c] = Math.max(maxX[c], runEnd[r] - 1);
      minY[c] = Math.min(minY[c], runY[r]);
      maxY[c] = Math.max(maxY[c], runY[r]);
      // pixel centres: the sum of x + 0.5 over the run
      sumX[c] += n * ((runStart[r] + runEnd[r]) / 2.0);
      sumY[c] += n * (runY[r] + 0.5);
    }
    int[] kept = keptComponents(area, minArea);
    int[] keptIndex = new int[count];
    Arrays.fill(keptIndex, -1);
    for (int k = 0; k < kept.length; k++) {
      keptIndex[kept[k]] = k;
    }
    int[] classCounts = new int[kept.length * 256];
    byte[] labels = map.labels();
    for (int r = 0; r < runs; r++) {
      int k = keptIndex[component[r]];
      if (k >= 0) {
        int row = runY[r] * w;
        for (int x = runStart[r]; x < runEnd[r]; x++) {
          classCounts[k * 256 + (labels[row + x] & 0xff)]++;
        }
      }
    }
    int[] contourOf = outerContours(contours, w, h, component, keptIndex, kept.length);
    List<Blob> blobs = new ArrayList<>(kept.length);
    for (int k = 0; k < kept.length; k++) {
      int c = kept[k];
      int majority = 0;
      for (int cls = 1; cls < 256; cls++) {
        if (classCounts[k * 256 + cls] > classCounts[k * 256 + majority]) {
          majority = cls;
        }
      }
      blobs.add(new Blob((int) area[c], majority, minX[c], minY[c], maxX[c] - minX[c] + 1, maxY[c] - minY[c] + 1,
          (float) (sumX[c] / area[c]), (float) (sumY[c] / area[c]), contourOf[k]));
    }
    return blobs;
  }

  /** Components of at least {@code minArea} pixels, the largest {@link #MAX_PER_FRAME}, in raster order of their first pixel. */
  private static int[] keptComponents(long[] area, double minArea) {
    int[] big = new int[area.length];
    int n = 0;
    for (int c = 0; c < area.length; c++) {
      if (area[c] >= minArea && area[c] > 0) {
        big[n++] = c;
      }
    }
    int[] kept = Arrays.copyOf(big, n);
    if (n > MAX_PER_FRAME) {
      kept = Arrays.stream(kept).boxed().sorted((a, b) -> Long.compare(area[b], area[a])).limit(MAX_PER_FRAME)
          .mapToInt(Integer::intValue).sorted().toArray();
    }
    return kept; // component numbers follow the raster order of their first run
  }

  /**
   * For each kept component, the contour whose first vertex lies in it and whose outline spans the largest box
   * (the outside of the component: a class region inside it, such as a pet inside its border ring, spans less).
   */
  private int[] outerContours(List<Contour> contours, int w, int h, int[] component, int[] keptIndex, int keptCount) {
    int[] best = new int[keptCount];
    long[] bestSpan = new long[keptCount];
    Arrays.fill(best, -1);
    for (int i = 0; i < contours.size(); i++) {
      Polyline outer = contours.get(i).outer();
      if (outer.size() == 0) {
        continue;
      }
      int x = outer.xs()[0];
      int y = outer.ys()[0];
      if (x < 0 || y < 0 || x >= w || y >= h) {
        continue;
      }
      int run = runAt(x, y);
      if (run < 0) {
        continue;
      }
      int k = keptIndex[component[run]];
      if (k < 0) {
        continue;
      }
      long span = boxArea(outer);
      if (best[k] < 0 || span > bestSpan[k]) {
        best[k] = i;
        bestSpan[k] = span;
      }
    }
    return best;
  }

  private static long boxArea(Polyline p) {
    int x0 = Integer.MAX_VALUE;
    int x1 = Integer.MIN_VALUE;
    int y0 = Integer.MAX_VALUE;
    int y1 = Integer.MIN_VALUE;
    for (int i = 0; i < p.size(); i++) {
      x0 = Math.min(x0, p.xs()[i]);
      x1 = Math.max(x1, p.xs()[i]);
      y0 = Math.min(y0, p.ys()[i]);
      y1 = Math.max(y1, p.ys()[i]);
    }
    return (long) (x1 - x0 + 1) * (y1 - y0 + 1);
  }

  /** The run holding pixel (x, y), -1 when it is background. */
  private int runAt(int x, int y) {
    int lo = rowFirstRun[y];
    int hi = rowFirstRun[y + 1] - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (runEnd[mid] <= x) {
        lo = mid + 1;
      } else if (runStart[mid] > x) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /** Runs of foreground per row, each joined to the runs of the row above it touches (8-connected). */
  private void scanRuns(byte[] labels, int w, int h, byte background) {
    runs = 0;
    if (rowFirstRun.length < h + 1) {
      rowFirstRun = new int[h + 1];
    }
    int previousFirst = 0;
    int previousEnd = 0;
    for (int y = 0; y < h; y++) {
      rowFirstRun[y] = runs;
      int row = y * w;
      int x = 0;
      int above = previousFirst;
      while (x < w) {
        while (x < w && labels[row + x] == background) {
          x++;
        }
        if (x == w) {
          break;
        }
        int start = x;
        while (x < w && labels[row + x] != background) {
          x++;
        }
        int r = addRun(y, start, x);
        // runs above that touch [start - 1, x] (diagonals included); both rows are sorted by start
        while (above < previousEnd && runEnd[above] < start) {
          above++;
        }
        for (int a = above; a < previousEnd && runStart[a] <= x; a++) {
          union(r, a);
        }
      }
      previousFirst = rowFirstRun[y];
      previousEnd = runs;
    }
    rowFirstRun[h] = runs;
  }

  private int addRun(int y, int start, int end) {
    if (runs == runY.length) {
      int size = runs * 2;
      runY = Arrays.copyOf(runY, size);
      runStart = Arrays.copyOf(runStart, size);
      runEnd = Arrays.copyOf(runEnd, size);
      parent = Arrays.copyOf(parent, size);
    }
    runY[runs] = y;
    runStart[runs] = start;
    runEnd[runs] = end;
    parent[runs] = runs;
    return runs++;
  }

  private int find(int r) {
    while (parent[r] != r) {
      parent[r] = parent[parent[r]];
      r = parent[r];
    }
    return r;
  }

  private void union(int a, int b) {
    int ra = find(a);
    int rb = find(b);
    if (ra != rb) {
      // the older run stays the root, so component numbers follow the raster order
      if (ra < rb) {
        parent[rb] = ra;
      } else {
        parent[ra] = rb;
      }
    }
  }
}
