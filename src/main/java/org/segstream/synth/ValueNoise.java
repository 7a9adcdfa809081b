package org.segstream.synth;

import java.util.SplittableRandom;

/** Smooth value noise on a periodic 16×16 lattice of random values, values in [0, 1]. */
final class ValueNoise {
  private static final int SIZE = 16;
  private static final int MASK = SIZE - 1;
  private final float[] lattice = new float[SIZE * SIZE];

  ValueNoise(SplittableRandom rng) {
    for (int i = 0; i < lattice.length; i++) {
      lattice[i] = (float) rng.nextDouble();
    }
  }

  double at(double x, double y) {
    double fx = Math.floor(x);
    double fy = Math.floor(y);
    int ix = (int) fx;
    int iy = (int) fy;
    double tx = x - fx;
    double ty = y - fy;
    tx = tx * tx * (3 - 2 * tx);
    ty = ty * ty * (3 - 2 * ty);
    int x0 = ix & MASK;
    int x1 = (ix + 1) & MASK;
    int y0 = (iy & MASK) * SIZE;
    int y1 = ((iy + 1) & MASK) * SIZE;
    double top = lattice[y0 + x0] + tx * (lattice[y0 + x1] - lattice[y0 + x0]);
    double bottom = lattice[y1 + x0] + tx * (lattice[y1 + x1] - lattice[y1 + x0]);
    return top + ty * (bottom - top);
  }
}
