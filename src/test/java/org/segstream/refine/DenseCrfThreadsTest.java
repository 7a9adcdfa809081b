package org.segstream.refine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.image.ProbabilityMap;

/** One frame split over several threads: the same CRF as on one, up to the order of float additions. */
class DenseCrfThreadsTest {

  @ParameterizedTest(name = "{0} threads, {1} classes")
  @CsvSource({"2, 3", "3, 3", "4, 3", "3, 2", "3, 4"})
  void severalThreadsAgreeWithOneAndRepeatThemselves(int threads, int classes) throws InterruptedException {
    Scenes.Scene scene = Scenes.disc(200, 150, 5, 15, 3, 3, 3, 0.3);
    ProbabilityMap probabilities = withClasses(scene.probabilities(), classes);
    float[] one = new DenseCrf(CrfParams.REFERENCE).refineMarginals(scene.image(), probabilities).values();
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      DenseCrf crf = new DenseCrf(CrfParams.REFERENCE, threads, pool);
      assertEquals(threads, crf.threads());
      float[] first = crf.refineMarginals(scene.image(), probabilities).values();
      float[] again = crf.refineMarginals(scene.image(), probabilities).values();
      assertArrayEquals(first, again, "the same thread count must give the same result every time");
      double maxDiff = 0;
      for (int i = 0; i < one.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(one[i] - first[i]));
      }
      assertTrue(maxDiff < 1e-5, threads + " threads differ from one by up to " + maxDiff);
    } finally {
      pool.shutdown();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void aWorkerOfThePoolMayRefineOnItsOwnPool() throws Exception {
    Scenes.Scene scene = Scenes.disc(160, 120, 9, 15, 3, 3, 3, 0.3);
    float[] one = new DenseCrf(CrfParams.TUNED).refineMarginals(scene.image(), scene.probabilities()).values();
    ForkJoinPool pool = new ForkJoinPool(2);
    try {
      // both workers busy with a frame each, each splitting its frame over the same two-thread pool
      var a = pool.submit(() -> new DenseCrf(CrfParams.TUNED, 2, pool).refineMarginals(scene.image(), scene.probabilities()));
      var b = pool.submit(() -> new DenseCrf(CrfParams.TUNED, 2, pool).refineMarginals(scene.image(), scene.probabilities()));
      for (var result : java.util.List.of(a, b)) {
        float[] q = result.get(60, TimeUnit.SECONDS).values();
        for (int i = 0; i < q.length; i++) {
          assertEquals(one[i], q[i], 1e-5f);
        }
      }
    } finally {
      pool.shutdown();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void chunksCoverTheLoopOnceAndFailuresReachTheCaller() {
    ForkJoinPool pool = new ForkJoinPool(3);
    try {
      Workers workers = new Workers(3, pool);
      int n = 3 * Workers.MIN_CHUNK + 17;
      assertEquals(3, workers.chunks(n));
      assertEquals(1, workers.chunks(Workers.MIN_CHUNK + 1));
      AtomicIntegerArray seen = new AtomicIntegerArray(n);
      workers.run(n, (chunk, from, to) -> {
        for (int i = from; i < to; i++) {
          seen.incrementAndGet(i);
        }
      });
      for (int i = 0; i < n; i++) {
        assertEquals(1, seen.get(i), "index " + i);
      }
      IllegalStateException failure = new IllegalStateException("chunk 2 failed");
      IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> workers.run(n, (chunk, from, to) -> {
        if (chunk == 2) {
          throw failure;
        }
      }));
      assertTrue(thrown == failure || thrown.getCause() == failure, "got " + thrown);
      assertThrows(IllegalArgumentException.class, () -> new Workers(0, pool));
    } finally {
      pool.shutdown();
    }
  }

  /** The two-class disc scene as {@code classes} classes: the first split evenly over the extra ones. */
  private static ProbabilityMap withClasses(ProbabilityMap two, int classes) {
    if (classes == 2) {
      return two;
    }
    int n = two.width() * two.height();
    float[] v = two.values();
    float[] out = new float[n * classes];
    for (int i = 0; i < n; i++) {
      int extra = classes - 1;
      for (int k = 0; k < extra; k++) {
        out[i * classes + k] = v[2 * i] / extra;
      }
      out[i * classes + extra] = v[2 * i + 1];
    }
    return new ProbabilityMap(two.width(), two.height(), classes, out);
  }
}
