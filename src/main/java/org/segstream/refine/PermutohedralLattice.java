package org.segstream.refine;

import java.util.Arrays;

/**
 * Gaussian filtering in a d-dimensional feature space on the permutohedral lattice (Adams, Baek &amp;
 * Davis 2010), following the DenseCRF 2.2 code step for step so that it approximates the Gaussian the
 * same way: each point is splatted onto the d+1 vertices of its enclosing simplex with barycentric
 * weights, values are blurred with [1/2 1 1/2] along each of the d+1 lattice axes, and sliced back
 * (times DenseCRF's constant {@link #alpha}).
 *
 * <p>{@link #build} costs O(points · d²) plus one hash look-up per vertex; filtering then costs
 * O(points · (d+1) · channels). Everything lives in flat arrays that grow to the largest input seen
 * and are reused; nothing is allocated per filtering pass. Not thread-safe: one per {@link DenseCrf}.
 *
 * <p>A vertex's key (its first d coordinates; the last follows from their zero sum) is packed into
 * two longs, three 21-bit biased fields each, so hashing, comparing and stepping to a neighbour are a
 * few long operations. Vertex indices are stored shifted by one: index 0 is a "missing neighbour"
 * vertex whose values stay zero, so the blur needs no branches at the lattice's border.
 */
final class PermutohedralLattice {
  static final int MAX_DIMENSIONS = 6;
  private static final int FIELD_BITS = 21;
  /** The hash table is kept at most 1/4 full: most look-ups then end at their first slot. */
  private static final int LOAD_INVERSE = 4;
  private static final long FIELD_BIAS = 1L << (FIELD_BITS - 1);
  /** Coordinates stay this far inside a field so that steps to neighbours cannot overflow it. */
  private static final int COORDINATE_LIMIT = (int) FIELD_BIAS - 4 * (MAX_DIMENSIONS + 1);

  private final int d;
  private final int d1;
  private final float alpha;
  private final float[] scaleFactor;

  /** Packed (lo, hi) of one coordinate step: +1 on field i, or on all d fields (ones). */
  private final long[] unitLo;
  private final long[] unitHi;
  private final long onesLo;
  private final long onesHi;

  /** Per chunk of points, the scratch that finds a point's simplex. */
  private Locator[] locators = new Locator[0];
  /** Per point: the key of its simplex's remainder-0 vertex, and the axis order of its other vertices. */
  private long[] pointLo = new long[0];
  private long[] pointHi = new long[0];
  private int[] pointOrder = new int[0];
  /** Per chunk but the first: where the chunk splats, added to the caller's buffer afterwards. */
  private float[][] partials = new float[0][];

  // per point: the d+1 enclosing vertices (shifted by one) and their barycentric weights
  private int points;
  private int[] offsets = new int[0];
  /** offsets × 2: where a vertex's values start in a two-channel buffer, for the CRF's three-class update. */
  private int[] offsets2 = new int[0];
  private float[] weights = new float[0];

  // the lattice: vertex keys in an open-addressing hash table
  private int vertices;
  private long[] keyLo = new long[1024];
  private long[] keyHi = new long[1024];
  /** Open addressing, linear probing: slot s holds vertex + 1 (0 = empty) and its key inline. */
  private int[] slotVertex;
  private long[] slotKeys;
  private int slotMask;
  private int slotShift;
  /** Neighbours along axis j of vertex v (both shifted): n1 at [2 (j M + v)], n2 at [2 (j M + v) + 1]. */
  private int[] neighbours = new int[0];
  /**
   * links[v (d+1) + j] = the vertex one step forward from v along axis j, plus one (0 = not looked up
   * yet). Each vertex serves dozens of pixels, so most vertices are found by following a link from
   * the previous vertex of the simplex rather than by hashing; the links also seed the blur's
   * neighbours.
   */
  private int[] links = new int[1024 * (MAX_DIMENSIONS + 1)];

  PermutohedralLattice(int dimensions) {
    if (dimensions < 1 || dimensions > MAX_DIMENSIONS) {
      throw new IllegalArgumentException("lattice feature dimensions must be 1.." + MAX_DIMENSIONS + ", got " + dimensions);
    }
    d = dimensions;
    d1 = d + 1;
    alpha = 1.0f / (1 + (float) Math.pow(2, -d));
    scaleFactor = new float[d];
    float invStdDev = (float) (Math.sqrt(2.0 / 3.0) * d1);
    for (int i = 0; i < d; i++) {
      scaleFactor[i] = (float) (1.0 / Math.sqrt((double) (i + 2) * (i + 1)) * invStdDev);
    }
    unitLo = new long[d1];
    unitHi = new long[d1];
    long lo = 0;
    long hi = 0;
    for (int i = 0; i < d; i++) {
      long unit = 1L << (FIELD_BITS * (i % 3));
      if (i < 3) {
        unitLo[i] = unit;
        lo += unit;
      } else {
        unitHi[i] = unit;
        hi += unit;
      }
    }
    onesLo = lo;
    onesHi = hi;
    resizeTable(2048);
  }

  float alpha() {
    return alpha;
  }

  int points() {
    return points;
  }

  int vertices() {
    return vertices;
  }

  /** Per point p, its d+1 vertices (shifted by one) at {@code [p (d+1) + r]}. */
  int[] offsets() {
    return offsets;
  }

  /** {@link #offsets()} times 2, the start of each vertex's values in a two-channel value buffer. */
  int[] offsetsTimes2() {
    return offsets2;
  }

  /** Per point p, the barycentric weights of its vertices, same layout as {@link #offsets()}. */
  float[] weights() {
    return weights;
  }

  /** Length a value buffer needs for {@code channels} values per vertex (with the zero vertex). */
  int valueLength(int channels) {
    return (vertices + 1) * channels;
  }

  /**
   * Builds the lattice for {@code n} points whose features are {@code features[p d + i]}, already
   * divided by their kernel's standard deviations.
   *
   * @throws IllegalArgumentException when a feature is so large (a tiny θ) that lattice coordinates
   *     leave their ±2^20 range
   */
  void build(float[] features, int n) {
    build(features, n, Workers.ONE);
  }

  /**
   * {@link #build(float[], int)}, finding each point's simplex and weights on {@code workers}' threads;
   * the vertices are then looked up in point order on the calling thread, so the lattice is the same
   * whatever the thread count.
   */
  void build(float[] features, int n, Workers workers) {
    points = n;
    if (offsets.length < n * d1) {
      offsets = new int[n * d1];
      offsets2 = new int[n * d1];
      weights = new float[n * d1];
    }
    if (pointLo.length < n) {
      pointLo = new long[n];
      pointHi = new long[n];
      pointOrder = new int[n];
    }
    growLocators(workers.chunks(n));
    workers.run(n, (chunk, from, to) -> locators[chunk].locateAll(features, from, to));
    Arrays.fill(slotVertex, 0);
    vertices = 0;
    long previousLo = 0;
    long previousHi = 0;
    int previousOrder = -1;
    for (int p = 0; p < n; p++) {
      int base = p * d1;
      long lo = pointLo[p];
      long hi = pointHi[p];
      int order = pointOrder[p];
      // Neighbouring pixels often share a simplex, and then its vertices: skip the look-ups.
      if (lo == previousLo && hi == previousHi && order == previousOrder) {
        System.arraycopy(offsets, base - d1, offsets, base, d1);
        System.arraycopy(offsets2, base - d1, offsets2, base, d1);
        continue;
      }
      previousLo = lo;
      previousHi = hi;
      previousOrder = order;
      int v = findOrInsert(lo, hi);
      offsets[base] = v + 1;
      offsets2[base] = 2 * v + 2;
      for (int r = 1; r <= d; r++, order >>>= ORDER_BITS) {
        // canonical vertex r adds r to every coordinate, minus d+1 on those ranked above d − r:
        // one step along lattice axis c from vertex r − 1, a step other pixels have often taken
        int c = order & ORDER_MASK;
        lo += onesLo - d1 * unitLo[c];
        hi += onesHi - d1 * unitHi[c];
        int link = links[v * d1 + c];
        if (link == 0) {
          int u = findOrInsert(lo, hi);
          links[v * d1 + c] = u + 1;
          v = u;
        } else {
          v = link - 1;
        }
        offsets[base + r] = v + 1;
        offsets2[base + r] = 2 * v + 2;
      }
    }
    buildNeighbours(workers);
  }

  private static final int ORDER_BITS = 3;
  private static final int ORDER_MASK = (1 << ORDER_BITS) - 1;

  private void growLocators(int count) {
    if (locators.length < count) {
      Locator[] grown = Arrays.copyOf(locators, count);
      for (int i = locators.length; i < count; i++) {
        grown[i] = new Locator();
      }
      locators = grown;
    }
  }

  /** The scratch of one thread that finds points' simplices; each chunk of points has its own. */
  private final class Locator {
    private final float[] elevated = new float[d1];
    private final int[] rem0 = new int[d1];
    private final int[] rank = new int[d1];
    /** byRank[r] = the coordinate whose rank is r. */
    private final int[] byRank = new int[d1];

    /**
     * For points {@code [from, to)}: their barycentric weights, the key of their remainder-0 vertex
     * and the axes of the steps to their other vertices ({@link #ORDER_BITS} bits each, vertex 1's
     * step lowest).
     */
    void locateAll(float[] features, int from, int to) {
      if (d == 5) {
        locateAllFive(features, from, to);
        return;
      }
      int[] rm = rem0;
      int[] br = byRank;
      for (int p = from; p < to; p++) {
        if (d == 5) {
          locateFive(features, p * 5);
        } else {
          locate(features, p * d);
        }
        barycentric(weights, p * d1);
        long lo = FIELD_BIAS * onesLo;
        long hi = FIELD_BIAS * onesHi;
        for (int i = 0; i < d; i++) {
          lo += rm[i] * unitLo[i];
          hi += rm[i] * unitHi[i];
        }
        int order = 0;
        for (int r = d; r >= 1; r--) {
          order = (order << ORDER_BITS) | br[d - r + 1];
        }
        pointLo[p] = lo;
        pointHi[p] = hi;
        pointOrder[p] = order;
      }
    }
    /**
     * {@link #locateAll} for five dimensions (the appearance kernel, built every frame): the same
     * float operations in the same order as {@link #locate}, in locals, the ranks by 15 pairwise
     * comparisons each counting once for one of its two coordinates, the rank wrap-around without
     * branches and the weights read from the offsets sorted by rank.
     */
    private void locateAllFive(float[] features, int from, int to) {
      float[] sc = scaleFactor;
      float s0 = sc[0];
      float s1 = sc[1];
      float s2 = sc[2];
      float s3 = sc[3];
      float s4 = sc[4];
      float[] sorted = elevated; // by rank
      float[] w = weights;
      float downFactor = 1.0f / 6;
      long bias = FIELD_BIAS * onesLo;
      long biasHi = FIELD_BIAS * onesHi;
      for (int p = from; p < to; p++) {
        int f = p * 5;
        float c4 = features[f + 4] * s4;
        float c3 = features[f + 3] * s3;
        float c2 = features[f + 2] * s2;
        float c1 = features[f + 1] * s1;
        float c0 = features[f] * s0;
        float sm = c4;
        float e5 = 0 - 5 * c4;
        float e4 = sm - 4 * c3;
        sm += c3;
        float e3 = sm - 3 * c2;
        sm += c2;
        float e2 = sm - 2 * c1;
        sm += c1;
        float e1 = sm - 1 * c0;
        sm += c0;
        float e0 = sm;

        int q0 = nearestQuotient(e0, features, f);
        int q1 = nearestQuotient(e1, features, f);
        int q2 = nearestQuotient(e2, features, f);
        int q3 = nearestQuotient(e3, features, f);
        int q4 = nearestQuotient(e4, features, f);
        int q5 = nearestQuotient(e5, features, f);
        int sum = q0 + q1 + q2 + q3 + q4 + q5;
        int m0 = q0 * 6;
        int m1 = q1 * 6;
        int m2 = q2 * 6;
        int m3 = q3 * 6;
        int m4 = q4 * 6;
        int m5 = q5 * 6;
        e0 -= m0;
        e1 -= m1;
        e2 -= m2;
        e3 -= m3;
        e4 -= m4;
        e5 -= m5;

        // for i < j: j outranks i when strictly larger, else i outranks j (ties: the earlier is larger)
        int r0 = sum;
        int r1 = sum;
        int r2 = sum;
        int r3 = sum;
        int r4 = sum;
        int r5 = sum;
        int c;
        c = e1 > e0 ? 1 : 0; r0 += c; r1 += 1 - c;
        c = e2 > e0 ? 1 : 0; r0 += c; r2 += 1 - c;
        c = e3 > e0 ? 1 : 0; r0 += c; r3 += 1 - c;
        c = e4 > e0 ? 1 : 0; r0 += c; r4 += 1 - c;
        c = e5 > e0 ? 1 : 0; r0 += c; r5 += 1 - c;
        c = e2 > e1 ? 1 : 0; r1 += c; r2 += 1 - c;
        c = e3 > e1 ? 1 : 0; r1 += c; r3 += 1 - c;
        c = e4 > e1 ? 1 : 0; r1 += c; r4 += 1 - c;
        c = e5 > e1 ? 1 : 0; r1 += c; r5 += 1 - c;
        c = e3 > e2 ? 1 : 0; r2 += c; r3 += 1 - c;
        c = e4 > e2 ? 1 : 0; r2 += c; r4 += 1 - c;
        c = e5 > e2 ? 1 : 0; r2 += c; r5 += 1 - c;
        c = e4 > e3 ? 1 : 0; r3 += c; r4 += 1 - c;
        c = e5 > e3 ? 1 : 0; r3 += c; r5 += 1 - c;
        c = e5 > e4 ? 1 : 0; r4 += c; r5 += 1 - c;

        // wrap-around (rank sum != 0): +6 on a rank below 0, −6 above 5, with its offsets
        int t;
        t = ((r0 >>> 31) - ((5 - r0) >>> 31)) * 6; r0 += t; m0 += t; e0 -= t;
        t = ((r1 >>> 31) - ((5 - r1) >>> 31)) * 6; r1 += t; m1 += t; e1 -= t;
        t = ((r2 >>> 31) - ((5 - r2) >>> 31)) * 6; r2 += t; m2 += t; e2 -= t;
        t = ((r3 >>> 31) - ((5 - r3) >>> 31)) * 6; r3 += t; m3 += t; e3 -= t;
        t = ((r4 >>> 31) - ((5 - r4) >>> 31)) * 6; r4 += t; m4 += t; e4 -= t;
        t = ((r5 >>> 31) - ((5 - r5) >>> 31)) * 6; r5 += t; m5 += t; e5 -= t;

        sorted[r0] = e0;
        sorted[r1] = e1;
        sorted[r2] = e2;
        sorted[r3] = e3;
        sorted[r4] = e4;
        sorted[r5] = e5;
        int b = p * 6;
        w[b] = 1.0f + (sorted[5] - sorted[0]) * downFactor;
        w[b + 1] = (sorted[4] - sorted[5]) * downFactor;
        w[b + 2] = (sorted[3] - sorted[4]) * downFactor;
        w[b + 3] = (sorted[2] - sorted[3]) * downFactor;
        w[b + 4] = (sorted[1] - sorted[2]) * downFactor;
        w[b + 5] = (sorted[0] - sorted[1]) * downFactor;

        // fields of 21 bits: coordinates 0-2 in lo, 3-4 in hi
        pointLo[p] = bias + m0 + ((long) m1 << FIELD_BITS) + ((long) m2 << (2 * FIELD_BITS));
        pointHi[p] = biasHi + m3 + ((long) m4 << FIELD_BITS);
        // the step to vertex r (1..5) is along the coordinate of rank 6 − r, at bits 3 (r − 1);
        // rank 0's coordinate lands above them, unused by the walk
        pointOrder[p] = (1 << 3 * (5 - r1)) + (2 << 3 * (5 - r2)) + (3 << 3 * (5 - r3)) + (4 << 3 * (5 - r4))
            + (5 << 3 * (5 - r5));
      }
    }

    /**
     * {@link #locate} for five dimensions (the appearance kernel, built every frame), the same float
     * operations in the same order, in locals: the ranks by 15 pairwise comparisons, each counting
     * once for one of its two coordinates, instead of 30 counted per coordinate.
     */
    private void locateFive(float[] features, int f) {
      float[] sc = scaleFactor;
      float c4 = features[f + 4] * sc[4];
      float c3 = features[f + 3] * sc[3];
      float c2 = features[f + 2] * sc[2];
      float c1 = features[f + 1] * sc[1];
      float c0 = features[f] * sc[0];
      float sm = c4;
      float e5 = 0 - 5 * c4;
      float e4 = sm - 4 * c3;
      sm += c3;
      float e3 = sm - 3 * c2;
      sm += c2;
      float e2 = sm - 2 * c1;
      sm += c1;
      float e1 = sm - 1 * c0;
      sm += c0;
      float e0 = sm;

      int q0 = nearestQuotient(e0, features, f);
      int q1 = nearestQuotient(e1, features, f);
      int q2 = nearestQuotient(e2, features, f);
      int q3 = nearestQuotient(e3, features, f);
      int q4 = nearestQuotient(e4, features, f);
      int q5 = nearestQuotient(e5, features, f);
      int sum = q0 + q1 + q2 + q3 + q4 + q5;
      e0 -= q0 * 6;
      e1 -= q1 * 6;
      e2 -= q2 * 6;
      e3 -= q3 * 6;
      e4 -= q4 * 6;
      e5 -= q5 * 6;

      // for i < j: j outranks i when strictly larger, else i outranks j (ties: the earlier is larger)
      int r0 = sum;
      int r1 = sum;
      int r2 = sum;
      int r3 = sum;
      int r4 = sum;
      int r5 = sum;
      int c;
      c = e1 > e0 ? 1 : 0; r0 += c; r1 += 1 - c;
      c = e2 > e0 ? 1 : 0; r0 += c; r2 += 1 - c;
      c = e3 > e0 ? 1 : 0; r0 += c; r3 += 1 - c;
      c = e4 > e0 ? 1 : 0; r0 += c; r4 += 1 - c;
      c = e5 > e0 ? 1 : 0; r0 += c; r5 += 1 - c;
      c = e2 > e1 ? 1 : 0; r1 += c; r2 += 1 - c;
      c = e3 > e1 ? 1 : 0; r1 += c; r3 += 1 - c;
      c = e4 > e1 ? 1 : 0; r1 += c; r4 += 1 - c;
      c = e5 > e1 ? 1 : 0; r1 += c; r5 += 1 - c;
      c = e3 > e2 ? 1 : 0; r2 += c; r3 += 1 - c;
      c = e4 > e2 ? 1 : 0; r2 += c; r4 += 1 - c;
      c = e5 > e2 ? 1 : 0; r2 += c; r5 += 1 - c;
      c = e4 > e3 ? 1 : 0; r3 += c; r4 += 1 - c;
      c = e5 > e3 ? 1 : 0; r3 += c; r5 += 1 - c;
      c = e5 > e4 ? 1 : 0; r4 += c; r5 += 1 - c;

      float[] el = elevated;
      int[] rm = rem0;
      int[] rk = rank;
      el[0] = e0;
      el[1] = e1;
      el[2] = e2;
      el[3] = e3;
      el[4] = e4;
      el[5] = e5;
      rm[0] = q0 * 6;
      rm[1] = q1 * 6;
      rm[2] = q2 * 6;
      rm[3] = q3 * 6;
      rm[4] = q4 * 6;
      rm[5] = q5 * 6;
      rk[0] = r0;
      rk[1] = r1;
      rk[2] = r2;
      rk[3] = r3;
      rk[4] = r4;
      rk[5] = r5;
      if (sum != 0) {
        wrapRanks();
      } else {
        int[] br = byRank;
        br[r0] = 0;
        br[r1] = 1;
        br[r2] = 2;
        br[r3] = 3;
        br[r4] = 4;
        br[r5] = 5;
      }
    }

    /**
     * The multiple of d+1 nearest to e, divided by d+1 (a tie goes down, as in DenseCRF); {@code
     * features[f]} is named when it is out of the lattice's range.
     */
    private int nearestQuotient(float e, float[] features, int f) {
      float upFactor = d1;
      float below = (float) Math.floor((1.0f / d1) * e);
      int quotient = (int) below + ((below + 1) * upFactor - e < e - below * upFactor ? 1 : 0);
      if (quotient > COORDINATE_LIMIT / d1 || quotient < -COORDINATE_LIMIT / d1) {
        throw new IllegalArgumentException(
            "CRF feature " + features[f] + " is too large for the lattice (is a θ tiny for this image size?)");
      }
      return quotient;
    }

    /** Brings a point whose remainder-0 neighbour is off the plane (rank sum != 0) back; fills byRank. */
    private void wrapRanks() {
      float[] el = elevated;
      int[] rm = rem0;
      int[] rk = rank;
      for (int i = 0; i <= d; i++) {
        int r = rk[i];
        // +1 below 0, −1 above d, else 0: without branches, which the ranks' spread mispredicts
        int shift = (r >>> 31) - ((d - r) >>> 31);
        int step = shift * d1;
        r += step;
        rm[i] += step;
        el[i] -= step;
        rk[i] = r;
        byRank[r] = i;
      }
    }

    /** Elevates point p onto the hyperplane, finds its simplex (rem0, rank) and barycentric weights. */
    private void locate(float[] features, int f) {
      float[] el = elevated;
      int[] rm = rem0;
      int[] rk = rank;
      float sm = 0;
      for (int j = d; j > 0; j--) {
        float cf = features[f + j - 1] * scaleFactor[j - 1];
        el[j] = sm - j * cf;
        sm += cf;
      }
      el[0] = sm;

      // the closest remainder-0 point, coordinate by coordinate (ties go down, as in DenseCRF)
      int sum = 0;
      for (int i = 0; i <= d; i++) {
        float e = el[i];
        int quotient = nearestQuotient(e, features, f + Math.min(i, d - 1));
        int rd = quotient * d1;
        rm[i] = rd;
        sum += quotient;
        el[i] = e - rd; // from here on, the offset from the remainder-0 point
      }

      // rank[i] = how many coordinates have a larger offset than coordinate i (ties: the earlier one
      // counts as larger), counted in a register rather than by updates to both entries
      for (int i = 0; i <= d; i++) {
        float ei = el[i];
        int r = sum;
        for (int j = 0; j < i; j++) {
          r += el[j] >= ei ? 1 : 0;
        }
        for (int j = i + 1; j <= d; j++) {
          r += el[j] > ei ? 1 : 0;
        }
        rk[i] = r;
      }
      wrapRanks();
    }

    /** The barycentric weight of the simplex's r-th vertex (DenseCRF's, with the wrap-around folded in). */
    private void barycentric(float[] out, int base) {
      float[] el = elevated;
      int[] br = byRank;
      float downFactor = 1.0f / d1;
      out[base] = 1.0f + (el[br[d]] - el[br[0]]) * downFactor;
      for (int r = 1; r <= d; r++) {
        out[base + r] = (el[br[d - r]] - el[br[d - r + 1]]) * downFactor;
      }
    }
  }

  /** The slot to probe first: the top bits of a multiplicative hash of both words. */
  private int firstSlot(long lo, long hi) {
    long h = (lo ^ (hi * 0xC2B2AE3D27D4EB4FL)) * 0x9E3779B97F4A7C15L;
    return (int) (h >>> slotShift);
  }

  /** The index of the vertex with this key, added if new. */
  private int findOrInsert(long lo, long hi) {
    int slot = firstSlot(lo, hi);
    while (true) {
      int entry = slotVertex[slot];
      if (entry == 0) {
        break;
      }
      if (slotKeys[2 * slot] == lo && slotKeys[2 * slot + 1] == hi) {
        return entry - 1;
      }
      slot = (slot + 1) & slotMask;
    }
    int v = vertices++;
    if (keyLo.length < vertices) {
      keyLo = Arrays.copyOf(keyLo, keyLo.length * 2);
      keyHi = Arrays.copyOf(keyHi, keyHi.length * 2);
    }
    keyLo[v] = lo;
    keyHi[v] = hi;
    if (links.length < vertices * d1) {
      links = Arrays.copyOf(links, links.length * 2);
    }
    Arrays.fill(links, v * d1, vertices * d1, 0);
    slotVertex[slot] = v + 1;
    slotKeys[2 * slot] = lo;
    slotKeys[2 * slot + 1] = hi;
    if (vertices * LOAD_INVERSE > slotVertex.length) {
      resizeTable(slotVertex.length * 2);
      for (int u = 0; u < vertices; u++) {
        insertExisting(u);
      }
    }
    return v;
  }

  /** The index of the vertex with this key, or -1 when it is not in the lattice. */
  private int find(long lo, long hi) {
    int slot = firstSlot(lo, hi);
    while (true) {
      int entry = slotVertex[slot];
      if (entry == 0 || (slotKeys[2 * slot] == lo && slotKeys[2 * slot + 1] == hi)) {
        return entry - 1;
      }
      slot = (slot + 1) & slotMask;
    }
  }

  private void insertExisting(int v) {
    int slot = firstSlot(keyLo[v], keyHi[v]);
    while (slotVertex[slot] != 0) {
      slot = (slot + 1) & slotMask;
    }
    slotVertex[slot] = v + 1;
    slotKeys[2 * slot] = keyLo[v];
    slotKeys[2 * slot + 1] = keyHi[v];
  }

  /** An empty table of {@code capacity} slots (a power of two). */
  private void resizeTable(int capacity) {
    slotVertex = new int[capacity];
    slotKeys = new long[2 * capacity];
    slotMask = capacity - 1;
    slotShift = 64 - Integer.numberOfTrailingZeros(capacity);
  }

  /**
   * For each lattice axis j, each vertex's neighbours one step back (n1: every coordinate −1, j's
   * +d) and forward (n2, the opposite). Axis d is the implied last coordinate.
   */
  private void buildNeighbours(Workers workers) {
    int m = vertices;
    if (neighbours.length < 2 * d1 * m) {
      neighbours = new int[2 * d1 * m];
    }
    Arrays.fill(neighbours, 0, 2 * d1 * m, -1);
    for (int v = 0; v < m; v++) {
      for (int j = 0; j <= d; j++) {
        int link = links[v * d1 + j];
        if (link != 0) {
          neighbours[2 * (j * m + v) + 1] = link;
          neighbours[2 * (j * m + link - 1)] = v + 1;
        }
      }
    }
    // the rest by hashing: read-only look-ups, each entry written once, so split over the vertices
    int[] nb = neighbours;
    workers.run(m, (chunk, from, to) -> {
      for (int j = 0; j <= d; j++) {
        long stepLo = onesLo - d1 * unitLo[j];
        long stepHi = onesHi - d1 * unitHi[j];
        for (int v = from, at = 2 * (j * m + from); v < to; v++, at += 2) {
          if (nb[at] < 0) {
            nb[at] = find(keyLo[v] - stepLo, keyHi[v] - stepHi) + 1;
          }
          if (nb[at + 1] < 0) {
            nb[at + 1] = find(keyLo[v] + stepLo, keyHi[v] + stepHi) + 1;
          }
        }
      }
    });
  }

  /**
   * Adds {@code in[p c + k]} of every point p, times its vertex weights, to {@code values} (length
   * {@link #valueLength}), which the caller has zeroed.
   */
  void splat(float[] in, int channels, float[] values) {
    splat(in, channels, 0, points, values);
  }

  /** {@link #splat(float[], int, float[])} of points {@code [from, to)} only. */
  void splat(float[] in, int channels, int from, int to, float[] values) {
    int[] off = offsets;
    float[] w = weights;
    if (channels == 3) {
      for (int p = from; p < to; p++) {
        int base = p * d1;
        float in0 = in[3 * p];
        float in1 = in[3 * p + 1];
        float in2 = in[3 * p + 2];
        for (int r = 0; r <= d; r++) {
          int o = off[base + r] * 3;
          float wr = w[base + r];
          values[o] += wr * in0;
          values[o + 1] += wr * in1;
          values[o + 2] += wr * in2;
        }
      }
      return;
    }
    for (int p = from; p < to; p++) {
      int base = p * d1;
      int ip = p * channels;
      for (int r = 0; r <= d; r++) {
        int o = off[base + r] * channels;
        float wr = w[base + r];
        for (int k = 0; k < channels; k++) {
          values[o + k] += wr * in[ip + k];
        }
      }
    }
  }

  /**
   * Adds channels 0 and 1 of {@code in} (three values per point) times the vertex weights to the
   * two-channel {@code values}, which the caller has zeroed.
   */
  void splatTwoOfThree(float[] in, float[] values) {
    splatTwoOfThree(in, 0, points, values);
  }

  /** {@link #splatTwoOfThree(float[], float[])} of points {@code [from, to)} only. */
  void splatTwoOfThree(float[] in, int from, int to, float[] values) {
    int[] off = offsets2;
    float[] w = weights;
    for (int p = from; p < to; p++) {
      int base = p * d1;
      float in0 = in[3 * p];
      float in1 = in[3 * p + 1];
      for (int r = 0; r <= d; r++) {
        int o = off[base + r];
        float wr = w[base + r];
        values[o] += wr * in0;
        values[o + 1] += wr * in1;
      }
    }
  }

  /**
   * Adds {@code factor} times the filtered all-ones signal to {@code out[p]} at every point p. After
   * {@link #normalise} it is what the filter of any per-point distribution sums to over its
   * channels, so one channel of the filtered distribution follows from the others.
   */
  void addFilteredOnes(float[] values, float[] scratch, float factor, float[] out) {
    addFilteredOnes(values, scratch, factor, out, Workers.ONE);
  }

  void addFilteredOnes(float[] values, float[] scratch, float factor, float[] out, Workers workers) {
    float[] blurred = splatOnesAndBlur(values, scratch, workers);
    float c = factor * alpha;
    workers.run(points, (chunk, from, to) -> {
      for (int p = from, base = from * d1; p < to; p++, base += d1) {
        out[p] += c * sliceOne(blurred, base);
      }
    });
  }

  /** Splats 1 from every point (times its current weights) and blurs; returns the blurred buffer. */
  private float[] splatOnesAndBlur(float[] values, float[] scratch, Workers workers) {
    int[] off = offsets;
    float[] w = weights;
    Arrays.fill(values, 0, valueLength(1), 0f);
    splat(workers, values, 1, (from, to, target) -> {
      for (int i = from * d1, end = to * d1; i < end; i++) {
        target[off[i]] += w[i];
      }
    });
    return blur(values, scratch, 1);
  }

  /** What one chunk of points splats: points {@code [from, to)} into {@code target}. */
  @FunctionalInterface
  interface SplatChunk {
    void splat(int from, int to, float[] target);
  }

  /**
   * Splats the points in chunks on {@code workers}' threads: the first chunk into {@code values}
   * (zeroed by the caller), each other one into a buffer of its own, added to {@code values} after.
   */
  void splat(Workers workers, float[] values, int channels, SplatChunk body) {
    int chunks = workers.chunks(points);
    if (chunks == 1) {
      body.splat(0, points, values);
      return;
    }
    int len = valueLength(channels);
    float[][] parts = partials(chunks, len);
    workers.run(points, (chunk, from, to) -> {
      float[] target = chunk == 0 ? values : parts[chunk];
      if (chunk > 0) {
        Arrays.fill(target, 0, len, 0f);
      }
      body.splat(from, to, target);
    });
    addPartials(workers, values, parts, chunks, len);
  }

  /** Adds buffers 1 .. chunks − 1 of {@code parts} to {@code values}, over their first {@code len} floats. */
  static void addPartials(Workers workers, float[] values, float[][] parts, int chunks, int len) {
    workers.run(len, (chunk, from, to) -> {
      for (int k = 1; k < chunks; k++) {
        float[] part = parts[k];
        for (int i = from; i < to; i++) {
          values[i] += part[i];
        }
      }
    });
  }

  /** This lattice's per-chunk splat buffers (index 0 unused), each at least {@code len} long. */
  float[][] partials(int chunks, int len) {
    if (partials.length < chunks) {
      partials = Arrays.copyOf(partials, chunks);
    }
    for (int k = 1; k < chunks; k++) {
      if (partials[k] == null || partials[k].length < len) {
        partials[k] = new float[len + len / 4];
      }
    }
    return partials;
  }

  /** Σ weight · value over the vertices of the point whose first vertex is at {@code base}, one channel. */
  private float sliceOne(float[] values, int base) {
    int[] off = offsets;
    float[] w = weights;
    float sum = 0;
    for (int r = 0; r < d1; r++) {
      sum += w[base + r] * values[off[base + r]];
    }
    return sum;
  }

  /**
   * Symmetric normalisation: computes D = filter(1) at every point (itself included) and multiplies
   * the point's vertex weights by D^−½, which makes splat and slice the two halves of D^−½ K D^−½.
   * {@code values} and {@code scratch} need {@link #valueLength}(1) floats; their contents are lost.
   */
  void normalise(float[] values, float[] scratch) {
    normalise(values, scratch, Workers.ONE);
  }

  void normalise(float[] values, float[] scratch, Workers workers) {
    float[] w = weights;
    float[] blurred = splatOnesAndBlur(values, scratch, workers);
    workers.run(points, (chunk, from, to) -> {
      for (int base = from * d1, end = to * d1; base < end; base += d1) {
        float sum = sliceOne(blurred, base);
        float scale = (float) (1.0 / Math.sqrt(alpha * sum + 1e-20));
        for (int r = 0; r < d1; r++) {
          w[base + r] *= scale;
        }
      }
    });
  }

  /**
   * Blurs {@code values} along each lattice axis in turn, ping-ponging with {@code scratch}; returns
   * the buffer that holds the result (one of the two).
   */
  float[] blur(float[] values, float[] scratch, int channels) {
    int m = vertices;
    float[] src = values;
    float[] dst = scratch;
    int[] nb = neighbours;
    for (int k = 0; k < channels; k++) {
      dst[k] = 0; // the zero vertex: scratch may hold anything, e.g. values laid out for fewer channels
      src[k] = 0;
    }
    for (int j = 0; j <= d; j++) {
      int at = 2 * j * m;
      if (channels == 1) {
        for (int v = 1; v <= m; v++, at += 2) {
          dst[v] = src[v] + 0.5f * (src[nb[at]] + src[nb[at + 1]]);
        }
      } else if (channels == 2) {
        for (int o = 2; o <= 2 * m; o += 2, at += 2) {
          int a = nb[at] * 2;
          int b = nb[at + 1] * 2;
          dst[o] = src[o] + 0.5f * (src[a] + src[b]);
          dst[o + 1] = src[o + 1] + 0.5f * (src[a + 1] + src[b + 1]);
        }
      } else if (channels == 3) {
        for (int o = 3; o <= 3 * m; o += 3, at += 2) {
          int a = nb[at] * 3;
          int b = nb[at + 1] * 3;
          dst[o] = src[o] + 0.5f * (src[a] + src[b]);
          dst[o + 1] = src[o + 1] + 0.5f * (src[a + 1] + src[b + 1]);
          dst[o + 2] = src[o + 2] + 0.5f * (src[a + 2] + src[b + 2]);
        }
      } else {
        for (int v = 1; v <= m; v++, at += 2) {
          int o = v * channels;
          int a = nb[at] * channels;
          int b = nb[at + 1] * channels;
          for (int k = 0; k < channels; k++) {
            dst[o + k] = src[o + k] + 0.5f * (src[a + k] + src[b + k]);
          }
        }
      }
      float[] t = src;
      src = dst;
      dst = t;
    }
    return src;
  }

  /** Sets {@code out[p c + k]} to {@code alpha · Σ weight · values[vertex c + k]}, the filtered value at p. */
  void slice(float[] values, int channels, float[] out) {
    int[] off = offsets;
    float[] w = weights;
    for (int p = 0; p < points; p++) {
      int base = p * d1;
      int op = p * channels;
      for (int k = 0; k < channels; k++) {
        out[op + k] = 0;
      }
      for (int r = 0; r <= d; r++) {
        int o = off[base + r] * channels;
        float wr = alpha * w[base + r];
        for (int k = 0; k < channels; k++) {
          out[op + k] += wr * values[o + k];
        }
      }
    }
  }
}
