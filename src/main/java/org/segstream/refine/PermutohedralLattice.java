package org.segstream.refine;

import java.util.Arrays;

/**
 * Gaussian filtering in a d-dimensional feature space on the permutohedral lattice (Adams, Baek &amp;
 * Davis 2010), following the DenseCRF 2.2 code step for step so that it approximates the Gaussian the
 * same way: each point is splatted onto the d+1 vertices of its enclosing simplex with barycentric
 * weights, values are blurred with [1/2 1 1/2] along each of the d+1 lattice axes, and sliced back.
 *
 * <p>{@link #build} costs O(points · d²) plus one hash look-up per vertex; filtering then costs
 * O(points · (d+1) · channels). Everything lives in flat arrays that grow to the largest input seen
 * and are reused; nothing is allocated per filtering pass. Not thread-safe: one per {@link DenseCrf}.
 *
 * <p>Vertex indices are stored shifted by one: index 0 is a "missing neighbour" vertex whose values
 * stay zero, so the blur needs no branches at the lattice's border.
 */
final class PermutohedralLattice {
  private final int d;
  private final int d1;
  /** The constant DenseCRF multiplies the sliced values by (Adams' "alpha"). */
  private final float alpha;
  private final float[] scaleFactor;
  private final int[] canonical;

  // scratch for one point
  private final float[] elevated;
  private final int[] rem0;
  private final int[] rank;
  private final float[] barycentric;
  private final int[] key;
  private final int[] previousRem0;
  private final int[] previousRank;

  // per point: the d+1 enclosing vertices (shifted by one) and their barycentric weights
  private int points;
  private int[] offsets = new int[0];
  private float[] weights = new float[0];

  // the lattice: vertex keys (d coordinates each; the last is implied by the zero sum) in a hash table
  private int vertices;
  private int[] keys;
  private int[] slots;
  private int slotMask;
  /** Neighbours along axis j of vertex v (both shifted): n1 at [2 (j M + v)], n2 at [2 (j M + v) + 1]. */
  private int[] neighbours = new int[0];

  PermutohedralLattice(int dimensions) {
    if (dimensions < 1) {
      throw new IllegalArgumentException("lattice needs at least one feature dimension, got " + dimensions);
    }
    d = dimensions;
    d1 = d + 1;
    alpha = 1.0f / (1 + (float) Math.pow(2, -d));
    scaleFactor = new float[d];
    float invStdDev = (float) (Math.sqrt(2.0 / 3.0) * d1);
    for (int i = 0; i < d; i++) {
      scaleFactor[i] = (float) (1.0 / Math.sqrt((double) (i + 2) * (i + 1)) * invStdDev);
    }
    canonical = new int[d1 * d1];
    for (int i = 0; i <= d; i++) {
      for (int j = 0; j <= d - i; j++) {
        canonical[i * d1 + j] = i;
      }
      for (int j = d - i + 1; j <= d; j++) {
        canonical[i * d1 + j] = i - d1;
      }
    }
    elevated = new float[d1];
    rem0 = new int[d1];
    rank = new int[d1];
    barycentric = new float[d + 2];
    key = new int[d1];
    previousRem0 = new int[d1];
    previousRank = new int[d1];
    keys = new int[1024 * d];
    slots = new int[2048];
    slotMask = slots.length - 1;
  }

  int dimensions() {
    return d;
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

  int[] offsets() {
    return offsets;
  }

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
   */
  void build(float[] features, int n) {
    points = n;
    if (offsets.length < n * d1) {
      offsets = new int[n * d1];
      weights = new float[n * d1];
    }
    Arrays.fill(slots, 0);
    vertices = 0;
    boolean havePrevious = false;
    for (int p = 0; p < n; p++) {
      int base = p * d1;
      locate(features, p * d);
      for (int r = 0; r <= d; r++) {
        weights[base + r] = barycentric[r];
      }
      // Neighbouring pixels often share a simplex, and then its vertices: skip the hash look-ups.
      if (havePrevious && Arrays.equals(rem0, previousRem0) && Arrays.equals(rank, previousRank)) {
        System.arraycopy(offsets, base - d1, offsets, base, d1);
        continue;
      }
      for (int r = 0; r <= d; r++) {
        int c = r * d1;
        for (int i = 0; i < d; i++) {
          key[i] = rem0[i] + canonical[c + rank[i]];
        }
        offsets[base + r] = findOrInsert(key) + 1;
      }
      System.arraycopy(rem0, 0, previousRem0, 0, d1);
      System.arraycopy(rank, 0, previousRank, 0, d1);
      havePrevious = true;
    }
    buildNeighbours();
  }

  /** Elevates point p onto the hyperplane, finds its simplex (rem0, rank) and barycentric weights. */
  private void locate(float[] features, int f) {
    float sm = 0;
    for (int j = d; j > 0; j--) {
      float cf = features[f + j - 1] * scaleFactor[j - 1];
      elevated[j] = sm - j * cf;
      sm += cf;
    }
    elevated[0] = sm;

    // the closest remainder-0 point, coordinate by coordinate
    float downFactor = 1.0f / d1;
    float upFactor = d1;
    int sum = 0;
    for (int i = 0; i <= d; i++) {
      float v = downFactor * elevated[i];
      float up = (float) Math.ceil(v) * upFactor;
      float down = (float) Math.floor(v) * upFactor;
      int rd = (up - elevated[i] < elevated[i] - down) ? (int) up : (int) down;
      rem0[i] = rd;
      sum += rd / d1;
    }

    // rank[i] = position of coordinate i in the sorted order of the differences
    Arrays.fill(rank, 0);
    for (int i = 0; i < d; i++) {
      float di = elevated[i] - rem0[i];
      for (int j = i + 1; j <= d; j++) {
        if (di < elevated[j] - rem0[j]) {
          rank[i]++;
        } else {
          rank[j]++;
        }
      }
    }

    // bring a point whose remainder-0 neighbour is off the plane (sum != 0) back
    for (int i = 0; i <= d; i++) {
      rank[i] += sum;
      if (rank[i] < 0) {
        rank[i] += d1;
        rem0[i] += d1;
      } else if (rank[i] > d) {
        rank[i] -= d1;
        rem0[i] -= d1;
      }
    }

    Arrays.fill(barycentric, 0);
    for (int i = 0; i <= d; i++) {
      float v = (elevated[i] - rem0[i]) * downFactor;
      barycentric[d - rank[i]] += v;
      barycentric[d - rank[i] + 1] -= v;
    }
    barycentric[0] += 1.0f + barycentric[d + 1];
  }

  /** The index of the vertex with coordinates {@code k[0..d-1]}, added if new. */
  private int findOrInsert(int[] k) {
    int slot = hash(k) & slotMask;
    while (true) {
      int entry = slots[slot];
      if (entry == 0) {
        break;
      }
      if (keyEquals(entry - 1, k)) {
        return entry - 1;
      }
      slot = (slot + 1) & slotMask;
    }
    int v = vertices++;
    if (keys.length < vertices * d) {
      keys = Arrays.copyOf(keys, keys.length * 2);
    }
    System.arraycopy(k, 0, keys, v * d, d);
    slots[slot] = v + 1;
    if (vertices * 2 > slots.length) {
      rehash(slots.length * 2);
    }
    return v;
  }

  /** The index of the vertex with coordinates {@code k[0..d-1]}, or -1 when it is not in the lattice. */
  private int find(int[] k) {
    int slot = hash(k) & slotMask;
    while (true) {
      int entry = slots[slot];
      if (entry == 0) {
        return -1;
      }
      if (keyEquals(entry - 1, k)) {
        return entry - 1;
      }
      slot = (slot + 1) & slotMask;
    }
  }

  private boolean keyEquals(int v, int[] k) {
    int o = v * d;
    for (int i = 0; i < d; i++) {
      if (keys[o + i] != k[i]) {
        return false;
      }
    }
    return true;
  }

  private int hash(int[] k) {
    int h = 0;
    for (int i = 0; i < d; i++) {
      h = (h + k[i]) * 2531011;
    }
    return h ^ (h >>> 15);
  }

  private void rehash(int capacity) {
    slots = new int[capacity];
    slotMask = capacity - 1;
    int[] k = new int[d];
    for (int v = 0; v < vertices; v++) {
      System.arraycopy(keys, v * d, k, 0, d);
      int slot = hash(k) & slotMask;
      while (slots[slot] != 0) {
        slot = (slot + 1) & slotMask;
      }
      slots[slot] = v + 1;
    }
  }

  /** For each lattice axis j, each vertex's neighbours one step back (n1) and forward (n2). */
  private void buildNeighbours() {
    int m = vertices;
    if (neighbours.length < 2 * d1 * m) {
      neighbours = new int[2 * d1 * m];
    }
    int[] n1 = key;
    int[] n2 = previousRank; // free scratch of length d + 1 once build() is done
    for (int j = 0; j <= d; j++) {
      for (int v = 0; v < m; v++) {
        int o = v * d;
        for (int k = 0; k < d; k++) {
          n1[k] = keys[o + k] - 1;
          n2[k] = keys[o + k] + 1;
        }
        if (j < d) {
          n1[j] = keys[o + j] + d;
          n2[j] = keys[o + j] - d;
        }
        int at = 2 * (j * m + v);
        neighbours[at] = find(n1) + 1;
        neighbours[at + 1] = find(n2) + 1;
      }
    }
  }

  /**
   * Adds {@code scale[p] · in[p c + k]} of every point p to its vertices in {@code values} (length
   * {@link #valueLength}), which the caller has zeroed. {@code scale} may be null (= 1).
   */
  void splat(float[] in, float[] scale, int channels, float[] values) {
    int[] off = offsets;
    float[] w = weights;
    for (int p = 0; p < points; p++) {
      int base = p * d1;
      int ip = p * channels;
      float s = scale == null ? 1f : scale[p];
      for (int r = 0; r <= d; r++) {
        int o = off[base + r] * channels;
        float ws = w[base + r] * s;
        for (int k = 0; k < channels; k++) {
          values[o + k] += ws * in[ip + k];
        }
      }
    }
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
    for (int j = 0; j <= d; j++) {
      int at = 2 * j * m;
      for (int v = 1; v <= m; v++, at += 2) {
        int o = v * channels;
        int a = nb[at] * channels;
        int b = nb[at + 1] * channels;
        for (int k = 0; k < channels; k++) {
          dst[o + k] = src[o + k] + 0.5f * (src[a + k] + src[b + k]);
        }
      }
      float[] t = src;
      src = dst;
      dst = t;
    }
    return src;
  }

  /**
   * Sets {@code out[p c + k]} to {@code scale[p] · alpha · Σ weight · values[vertex c + k]}, the
   * filtered value at point p ({@code scale} may be null = 1).
   */
  void slice(float[] values, float[] scale, int channels, float[] out) {
    int[] off = offsets;
    float[] w = weights;
    for (int p = 0; p < points; p++) {
      int base = p * d1;
      int op = p * channels;
      float s = alpha * (scale == null ? 1f : scale[p]);
      for (int k = 0; k < channels; k++) {
        out[op + k] = 0;
      }
      for (int r = 0; r <= d; r++) {
        int o = off[base + r] * channels;
        float ws = w[base + r] * s;
        for (int k = 0; k < channels; k++) {
          out[op + k] += ws * values[o + k];
        }
      }
    }
  }
}
