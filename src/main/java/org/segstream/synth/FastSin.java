package org.segstream.synth;

/** A sine table: textures need only a few bits of accuracy, and Math.sin per pixel would be the slowest step. */
final class FastSin {
  private static final int SIZE = 1024;
  private static final float[] TABLE = table();

  private FastSin() {}

  private static float[] table() {
    float[] t = new float[SIZE];
    for (int i = 0; i < SIZE; i++) {
      t[i] = (float) Math.sin(2 * Math.PI * i / SIZE);
    }
    return t;
  }

  static double sin(double radians) {
    return TABLE[(int) (radians * (SIZE / (2 * Math.PI))) & (SIZE - 1)];
  }
}
