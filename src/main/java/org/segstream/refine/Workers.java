package org.segstream.refine;

import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Splits a loop over points (pixels or lattice vertices) into a fixed number of contiguous chunks,
 * run on a fork-join pool: chunk 0 on the calling thread, the others submitted to the pool. The
 * chunks depend only on the loop length and the thread count, never on which thread runs them, so
 * per-chunk partial sums are added in the same order every time and results are repeatable.
 */
final class Workers {
  /** Loops shorter than this per extra chunk run on the calling thread: a fork costs microseconds. */
  static final int MIN_CHUNK = 2048;

  /** Everything on the calling thread. */
  static final Workers ONE = new Workers(1, null);

  /** What one chunk does with its range {@code [from, to)}. */
  @FunctionalInterface
  interface Chunk {
    void run(int chunk, int from, int to);
  }

  private final int threads;
  private final ForkJoinPool pool;

  Workers(int threads, ForkJoinPool pool) {
    if (threads < 1) {
      throw new IllegalArgumentException("CRF threads must be 1 or more, got " + threads);
    }
    this.threads = threads;
    this.pool = threads == 1 ? null : Objects.requireNonNull(pool, "pool");
  }

  int threads() {
    return threads;
  }

  /** How many chunks a loop of {@code n} points is split into (1 when too short to be worth it). */
  int chunks(int n) {
    return Math.max(1, Math.min(threads, n / MIN_CHUNK));
  }

  /** Runs {@code body} over {@code [0, n)} in {@link #chunks}(n) chunks and waits for all of them. */
  void run(int n, Chunk body) {
    int chunks = chunks(n);
    if (chunks == 1) {
      body.run(0, 0, n);
      return;
    }
    ForkJoinTask<?>[] forked = new ForkJoinTask<?>[chunks - 1];
    for (int c = 1; c < chunks; c++) {
      int chunk = c;
      forked[c - 1] = pool.submit(() -> body.run(chunk, start(n, chunks, chunk), start(n, chunks, chunk + 1)));
    }
    RuntimeException failure = null;
    try {
      body.run(0, 0, start(n, chunks, 1));
    } catch (RuntimeException e) {
      failure = e;
    }
    // wait for every chunk even after a failure: none may still write into shared buffers afterwards
    for (ForkJoinTask<?> task : forked) {
      try {
        task.join();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Where chunk {@code c} of {@code chunks} starts in {@code [0, n)}. */
  static int start(int n, int chunks, int c) {
    return (int) ((long) n * c / chunks);
  }
}
