package org.segstream.bench;

import java.io.PrintWriter;
import java.util.List;

/**
 * What {@link CrfBenchmark} measured: medians in milliseconds per scene, next to the original C++
 * code's when it ran in the same run.
 *
 * @param originalTimed whether the original code was timed in this run
 * @param scenes one row per scene and parameter set, timed on its own
 * @param turns the 320x240 scene and the photo taking turns on one CRF instance (empty without a photo)
 * @param model the model's time per frame, or null without one
 * @param threads the thread count of the rows' {@link Row#threadedMs} (1: not timed on more threads)
 */
public record CrfResult(int iterations, int repeat, int warmup, boolean originalTimed, List<Row> scenes,
    List<Row> turns, ModelTime model, int threads) {

  public CrfResult {
    scenes = List.copyOf(scenes);
    turns = List.copyOf(turns);
  }

  /**
   * One scene's medians.
   *
   * @param params the parameter set's name (reference or tuned)
   * @param original the original code on the same input in the same run, or null when it did not run
   * @param threadedMs the median total with one frame split over {@link CrfResult#threads} threads, or NaN
   */
  public record Row(int width, int height, String label, String params, double latticeMs, double iterationsMs,
      double totalMs, Comparison original, boolean photo, double threadedMs) {

    /** How many times faster ours was than the original, or NaN when the original did not run. */
    public double speedUp() {
      return original == null ? Double.NaN : original.medianMs() / totalMs;
    }

    /** {@link #speedUp} on several threads, or NaN. */
    public double threadedSpeedUp() {
      return original == null ? Double.NaN : original.medianMs() / threadedMs;
    }
  }

  /**
   * The original code's median on the same input, and the share of pixels where its labels and ours
   * agree.
   */
  public record Comparison(double medianMs, double labelAgreement) {}

  /** The model at batch 8, at its input size. */
  public record ModelTime(String name, int inputWidth, int inputHeight, double framesPerSecond) {
    public double msPerFrame() {
      return 1000.0 / framesPerSecond;
    }
  }

  public void print(PrintWriter out) {
    out.printf("Dense CRF: 3 classes, %d iterations, one thread; median of %d runs after %d warm-up runs%n",
        iterations, repeat, warmup);
    out.printf("%-9s %-28s %-9s %10s %10s %10s %10s %8s %11s", "size", "scene", "params", "lattice", "iterations",
        "total", "original", "speed-up", "same labels");
    if (threads > 1) {
      out.printf(" %10s %8s", threads + " threads", "speed-up");
    }
    out.println();
    for (Row row : scenes) {
      printRow(out, row);
    }
    for (Row row : turns) {
      printRow(out, row);
    }
    if (threads > 1) {
      out.println(threads + " threads = the whole refine call with one frame split over " + threads
          + " threads (a fork-join pool of its own), taking turns frame by frame with the one-thread runs; speed-up"
          + " against the same original.");
    }
    out.println(
        "lattice = building the appearance lattice and its normaliser (the smoothness lattice depends only on the"
            + " frame size and is reused from the warm-up; an instance keeps the last four sizes', so scenes taking"
            + " turns on one instance do not rebuild it); total = the whole refine(image, probabilities) call.");
    if (originalTimed) {
      out.println("original = the C++ DenseCRF 2.2 (shared/tools/densecrf-reference) on the same input in this run,"
          + " one thread, building both lattices per frame; same labels = share of pixels where its labels equal ours.");
    } else {
      out.println("original: not timed (give --reference-tool DIR or --reference-binary FILE to time it in this run)");
    }
    if (model != null) {
      StringBuilder ratios = new StringBuilder();
      for (int s = 0; s < scenes.size(); s++) {
        Row row = scenes.get(s);
        ratios.append(s == 0 ? "" : ", ").append(String.format("%.2f at %dx%d %s%s", row.totalMs() / model.msPerFrame(),
            row.width(), row.height(), row.params(), row.photo() ? " (photo)" : ""));
      }
      out.printf("model %s at %dx%d: %.2f ms per frame at batch 8 (%.1f frames/s); CRF / model per frame: %s%n",
          model.name(), model.inputWidth(), model.inputHeight(), model.msPerFrame(), model.framesPerSecond(), ratios);
    }
    out.flush();
  }

  private static void printRow(PrintWriter out, Row row) {
    String original = row.original() == null ? "-" : String.format("%.1f ms", row.original().medianMs());
    String speedUp = row.original() == null ? "-" : String.format("%.2fx", row.speedUp());
    String same = row.original() == null ? "-" : String.format("%.5f", row.original().labelAgreement());
    out.printf("%-9s %-28s %-9s %7.2f ms %7.2f ms %7.2f ms %10s %8s %11s", row.width() + "x" + row.height(),
        row.label(), row.params(), row.latticeMs(), row.iterationsMs(), row.totalMs(), original, speedUp, same);
    if (!Double.isNaN(row.threadedMs())) {
      out.printf(" %7.2f ms %8s", row.threadedMs(),
          row.original() == null ? "-" : String.format("%.2fx", row.threadedSpeedUp()));
    }
    out.println();
  }
}
