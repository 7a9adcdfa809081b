package org.segstream.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplingTest {

  @Test
  void bilinearKeepsDistributionsAndInterpolates() {
    // 2x1 map, two classes: left pixel all class 0, right pixel all class 1
    ProbabilityMap src = new ProbabilityMap(2, 1, 2, new float[] {1, 0, 0, 1});
    ProbabilityMap up = Resampling.bilinear(src, 4, 1);
    float[] v = up.values();
    // half-pixel centres: x=0 → 0 (clamped), x=1 → 0.25, x=2 → 0.75, x=3 → 1 (clamped)
    assertArrayEquals(new float[] {1, 0, 0.75f, 0.25f, 0.25f, 0.75f, 0, 1}, v, 1e-6f);
    for (int i = 0; i < 4; i++) {
      assertEquals(1f, v[2 * i] + v[2 * i + 1], 1e-6f);
    }
  }

  @Test
  void sameSizeReturnsInput() {
    ProbabilityMap src = new ProbabilityMap(2, 1, 2, new float[] {1, 0, 0, 1});
    assertSame(src, Resampling.bilinear(src, 2, 1));
  }

  @Test
  void nearestUpscalesBlocks() {
    LabelMap src = new LabelMap(2, 2, new byte[] {0, 1, 2, 3});
    LabelMap up = Resampling.nearest(src, 4, 4);
    assertArrayEquals(new byte[] {0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3}, up.labels());
  }

  @ParameterizedTest
  @CsvSource({"640, 360, 320, 320, 180", "568, 320, 320, 320, 180", "300, 200, 320, 300, 200", "240, 480, 320, 160, 320"})
  void capLongSide(int w, int h, int max, int ew, int eh) {
    assertArrayEquals(new int[] {ew, eh}, Resampling.capLongSide(w, h, max));
  }

  @Test
  void classFractionsSumToOne() {
    LabelMap labels = new LabelMap(4, 1, new byte[] {0, 1, 1, 2});
    assertArrayEquals(new float[] {0.25f, 0.5f, 0.25f}, Resampling.classFractions(labels, 3), 1e-6f);
  }

  @Test
  void fusedBilinearArgmaxEqualsUpsampleThenArgmax() {
    java.util.Random random = new java.util.Random(3);
    float[] v = new float[7 * 5 * 3];
    for (int i = 0; i < v.length; i += 3) {
      float a = random.nextFloat(), b = random.nextFloat(), c = random.nextFloat();
      float sum = a + b + c;
      v[i] = a / sum;
      v[i + 1] = b / sum;
      v[i + 2] = c / sum;
    }
    ProbabilityMap src = new ProbabilityMap(7, 5, 3, v);
    assertArrayEquals(
        Resampling.bilinear(src, 31, 19).argmax().labels(), Resampling.bilinearArgmax(src, 31, 19).labels());
  }

  @Test
  void fusedBilinearArgmaxEqualsUpsampleThenArgmaxOnSmoothRegions() {
    // large uniform regions (where the shortcut applies) and their edges, including a 4-class map
    for (int k : new int[] {2, 3, 4}) {
      int w = 40, h = 30;
      float[] v = new float[w * h * k];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float sum = 0;
          for (int j = 0; j < k; j++) {
            double cx = 8 + 9 * j, cy = 6 + 7 * j;
            float e = (float) Math.exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / 40.0);
            v[(y * w + x) * k + j] = e;
            sum += e;
          }
          for (int j = 0; j < k; j++) {
            v[(y * w + x) * k + j] /= sum;
          }
        }
      }
      ProbabilityMap src = new ProbabilityMap(w, h, k, v);
      byte[] fused = Resampling.bilinearArgmax(src, 301, 217).labels();
      assertArrayEquals(Resampling.bilinear(src, 301, 217).argmax().labels(), fused, k + " classes");
      java.util.Set<Byte> seen = new java.util.HashSet<>();
      for (byte b : fused) {
        seen.add(b);
      }
      assertEquals(k, seen.size(), "every class wins somewhere");
    }
  }
}
