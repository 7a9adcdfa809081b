package org.segstream.refine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.image.ProbabilityMap;
import org.segstream.image.RgbImage;

class DenseCrfTest {

  @Test
  void fourThreadsWithTheirOwnInstancesGetIdenticalResults() throws Exception {
    Scenes.Scene scene = Scenes.disc(120, 90, 11, 15, 3, 3, 3, 0.3);
    float[] expected = new DenseCrf(CrfParams.REFERENCE).refineMarginals(scene.image(), scene.probabilities()).values();
    int threads = 4;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<float[]>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(() -> {
          DenseCrf crf = new DenseCrf(CrfParams.REFERENCE);
          start.await(30, TimeUnit.SECONDS);
          float[] last = null;
          for (int r = 0; r < 3; r++) {
            last = crf.refineMarginals(scene.image(), scene.probabilities()).values();
          }
          return last;
        }));
      }
      for (Future<float[]> result : results) {
        assertArrayEquals(expected, result.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void reusedInstanceGivesTheSameResultAsAFreshOneAcrossFrameSizes() {
    Scenes.Scene small = Scenes.disc(40, 30, 1, 15, 2, 2, 2, 0.3);
    Scenes.Scene big = Scenes.disc(100, 80, 2, 15, 2, 2, 2, 0.3);
    DenseCrf reused = new DenseCrf(CrfParams.REFERENCE);
    reused.refineMarginals(small.image(), small.probabilities());
    float[] bigAgain = reused.refineMarginals(big.image(), big.probabilities()).values();
    float[] smallAgain = reused.refineMarginals(small.image(), small.probabilities()).values();
    assertArrayEquals(new DenseCrf(CrfParams.REFERENCE).refineMarginals(big.image(), big.probabilities()).values(), bigAgain);
    assertArrayEquals(new DenseCrf(CrfParams.REFERENCE).refineMarginals(small.image(), small.probabilities()).values(), smallAgain);
  }

  /**
   * The three-class path passes two channels and derives the third message; the general path passes
   * every class. With a fourth class of (floored) zero probability the general path must agree.
   */
  @ParameterizedTest(name = "w1 {0}, w2 {1}")
  @CsvSource({"10, 3", "10, 0", "0, 3"})
  void threeClassPathAgreesWithTheGeneralOne(double w1, double w2) {
    // the disc scene's two classes, the first split 60:40 into labels 0 and 2
    Scenes.Scene scene = Scenes.disc(48, 40, 7, 15, 2, 2, 2, 0.3);
    float[] two = scene.probabilities().values();
    int n = 48 * 40;
    float[] p = new float[3 * n];
    float[] padded = new float[4 * n];
    for (int i = 0; i < n; i++) {
      float[] labels = {0.6f * two[2 * i], two[2 * i + 1], 0.4f * two[2 * i]};
      System.arraycopy(labels, 0, p, 3 * i, 3);
      System.arraycopy(labels, 0, padded, 4 * i, 3);
    }
    CrfParams params = new CrfParams(80, 13, 3, w1, w2, 5);
    float[] three = new DenseCrf(params).refineMarginals(scene.image(), new ProbabilityMap(48, 40, 3, p)).values();
    float[] four = new DenseCrf(params)
        .refineMarginals(scene.image(), new ProbabilityMap(48, 40, 4, padded)).values();
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 3; k++) {
        assertEquals(three[3 * i + k], four[4 * i + k], 2e-4f, "pixel " + i + " label " + k);
      }
    }
  }

  @Test
  void framesOfUpToFourSizesKeepTheirSmoothnessLattices() {
    int[][] sizes = {{40, 30}, {30, 40}, {48, 24}, {24, 48}, {36, 36}};
    Scenes.Scene[] scenes = new Scenes.Scene[sizes.length];
    for (int i = 0; i < sizes.length; i++) {
      scenes[i] = Scenes.disc(sizes[i][0], sizes[i][1], i + 1, 15, 2, 2, 2, 0.3);
    }
    DenseCrf crf = new DenseCrf(CrfParams.REFERENCE);
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 4; i++) {
        crf.refineMarginals(scenes[i].image(), scenes[i].probabilities());
      }
    }
    assertEquals(4, crf.smoothnessBuilds(), "four sizes taking turns: one lattice each");
    crf.refineMarginals(scenes[4].image(), scenes[4].probabilities()); // a fifth evicts the least recent, the first
    crf.refineMarginals(scenes[3].image(), scenes[3].probabilities());
    assertEquals(5, crf.smoothnessBuilds());
    float[] first = crf.refineMarginals(scenes[0].image(), scenes[0].probabilities()).values();
    assertEquals(6, crf.smoothnessBuilds(), "the first size was evicted and is built again");
    assertArrayEquals(new DenseCrf(CrfParams.REFERENCE).refineMarginals(scenes[0].image(), scenes[0].probabilities()).values(), first);
  }

  @Test
  void marginalsAreDistributionsAndLabelsTheirArgmax() {
    Scenes.Scene scene = Scenes.disc(50, 40, 3, 15, 2, 2, 2, 0.3);
    DenseCrf crf = new DenseCrf(CrfParams.REFERENCE);
    ProbabilityMap q = crf.refineMarginals(scene.image(), scene.probabilities());
    for (int i = 0; i < 50 * 40; i++) {
      float sum = q.values()[2 * i] + q.values()[2 * i + 1];
      assertEquals(1f, sum, 1e-5f, "pixel " + i);
    }
    assertArrayEquals(q.argmax().labels(), crf.refine(scene.image(), scene.probabilities()).labels());
    assertTrue(crf.lastTimings().totalMs() > 0);
  }

  @Test
  void unaryAndProbabilityInputsAgree() {
    Scenes.Scene scene = Scenes.disc(40, 40, 4, 15, 2, 2, 2, 0.3);
    float[] p = scene.probabilities().values();
    float[] unary = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      unary[i] = (float) -Math.log(p[i]);
    }
    DenseCrf crf = new DenseCrf(CrfParams.REFERENCE);
    float[] fromUnary = crf.refineUnary(scene.image(), unary, 2).values();
    float[] fromProbabilities = crf.refineMarginals(scene.image(), scene.probabilities()).values();
    for (int i = 0; i < p.length; i++) {
      assertEquals(fromProbabilities[i], fromUnary[i], 1e-5f);
    }
  }

  @Test
  void anyNumberOfClassesAndKernelsSwitchedOff() {
    // five classes take the general path: left half class 1, right half class 3, noisy probabilities
    int w = 40;
    int h = 30;
    int classes = 5;
    float[] p = new float[w * h * classes];
    byte[] truth = new byte[w * h];
    java.util.Random random = new java.util.Random(5);
    for (int i = 0; i < w * h; i++) {
      truth[i] = (byte) (i % w < w / 2 ? 1 : 3);
      float sum = 0;
      for (int k = 0; k < classes; k++) {
        p[classes * i + k] = random.nextFloat() + (k == truth[i] ? 0.45f : 0f);
        sum += p[classes * i + k];
      }
      for (int k = 0; k < classes; k++) {
        p[classes * i + k] /= sum;
      }
    }
    ProbabilityMap probabilities = new ProbabilityMap(w, h, classes, p);
    RgbImage image = RgbImage.blank(w, h);
    DenseCrf off = new DenseCrf(new CrfParams(80, 13, 3, 0, 0, 3));
    assertArrayEquals(probabilities.argmax().labels(), off.refine(image, probabilities).labels());

    byte[] before = probabilities.argmax().labels();
    byte[] after = new DenseCrf(new CrfParams(10, 13, 3, 5, 3, 5)).refine(image, probabilities).labels();
    int wrongBefore = wrong(before, truth);
    int wrongAfter = wrong(after, truth);
    assertTrue(wrongBefore > w * h / 5, "the input should be noisy: " + wrongBefore + " wrong");
    assertTrue(wrongAfter < wrongBefore / 4, "wrong labels " + wrongBefore + " -> " + wrongAfter);
  }

  private static int wrong(byte[] labels, byte[] truth) {
    int c = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != truth[i]) {
        c++;
      }
    }
    return c;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "thetaAlpha, -1, 13, 3, 10, 3, 5",
    "thetaAlpha, 0, 13, 3, 10, 3, 5",
    "thetaBeta, 80, 0, 3, 10, 3, 5",
    "thetaGamma, 80, 13, -3, 10, 3, 5",
    "thetaGamma, 80, 13, NaN, 10, 3, 5",
    "w1, 80, 13, 3, -10, 3, 5",
    "w2, 80, 13, 3, 10, -0.5, 5",
    "w2, 80, 13, 3, 10, Infinity, 5",
    "iterations, 80, 13, 3, 10, 3, 0",
    "iterations, 80, 13, 3, 10, 3, -2",
  })
  void badParametersAreRejectedByName(String name, double ta, double tb, double tg, double w1, double w2, int iterations) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new CrfParams(ta, tb, tg, w1, w2, iterations));
    assertTrue(e.getMessage().contains(name), e.getMessage());
    assertTrue(e.getMessage().contains(">") || e.getMessage().contains("or more"), "states the allowed range: " + e.getMessage());
  }

  @Test
  void mismatchedSizesAreRejectedNamingBoth() {
    DenseCrf crf = new DenseCrf(CrfParams.REFERENCE);
    RgbImage image = RgbImage.blank(64, 48);
    ProbabilityMap probabilities = new ProbabilityMap(32, 48, 2, new float[32 * 48 * 2]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> crf.refine(image, probabilities));
    assertTrue(e.getMessage().contains("64x48") && e.getMessage().contains("32x48"), e.getMessage());

    IllegalArgumentException u = assertThrows(IllegalArgumentException.class, () -> crf.refineUnary(image, new float[10], 3));
    assertTrue(u.getMessage().contains("64x48"), u.getMessage());
  }

  @Test
  void fastExpIsAccurate() {
    for (float x = -32f; x <= 0f; x += 0.0007f) {
      double exact = Math.exp(x);
      assertEquals(exact, FastMath.expNonPositive(x), exact * 1e-5, "x = " + x);
    }
    assertEquals(1f, FastMath.expNonPositive(0f));
    assertEquals(Math.exp(-32), FastMath.expNonPositive(-100f), 1e-20);
  }
}
