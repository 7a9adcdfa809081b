package org.segstream.bench;

import java.io.PrintWriter;
import java.util.List;

/**
 * What {@link CrfBenchmark} measured: medians in milliseconds per scene, next to the reference C++ code's.
 *
 * @param scenes one row per scene timed on its own
 * @param turns the 320x240 scene and the photo taking turns on one CRF instance (empty without a photo)
 * @param model the model's time per frame, or null without one
 */
public record CrfResult(int iterations, int repeat, int warmup, List<Row> scenes, List<Row> turns, ModelTime model) {

  public CrfResult {
    scenes = List.copyOf(scenes);
    turns = List.copyOf(turns);
  }

  /**
   * One scene's medians.
   *
   * @param referenceMs the reference DenseCRF's median at this size and iteration count, or null when unknown
   */
  public record Row(int width, int height, String label, double latticeMs, double iterationsMs, double totalMs,
      Double referenceMs, boolean photo) {}

  /** The model at batch 8, at its input size. */
  public record ModelTime(String name, int inputWidth, int inputHeight, double framesPerSecond) {
    public double msPerFrame() {
      return 1000.0 / framesPerSecond;
    }
  }

  /** Whether the reference was timed at this iteration count (5 and 10 only). */
  public boolean referenceKnown() {
    return iterations == 5 || iterations == 10;
  }

  public void print(PrintWriter out) {
    out.printf("Dense CRF: 3 classes, %d iterations, one thread; median of %d runs after %d warm-up runs%n",
        iterations, repeat, warmup);
    out.printf("%-9s %-28s %10s %10s %10s %12s %8s%n", "size", "scene", "lattice", "iterations", "total", "reference", "speed-up");
    for (Row row : scenes) {
      printRow(out, row);
    }
    for (Row row : turns) {
      printRow(out, row);
    }
    out.println(
        "lattice = building the appearance lattice and its normaliser (the smoothness lattice depends only on the"
            + " frame size and is reused from the warm-up; an instance keeps the last four sizes', so scenes taking"
            + " turns on one instance do not rebuild it); total = the whole refine(image, probabilities) call.");
    if (!referenceKnown()) {
      out.println("(the reference was timed at 5 and 10 iterations only)");
    }
    if (model != null) {
      StringBuilder ratios = new StringBuilder();
      for (int s = 0; s < scenes.size(); s++) {
        Row row = scenes.get(s);
        ratios.append(s == 0 ? "" : ", ").append(String.format("%.2f at %dx%d%s", row.totalMs() / model.msPerFrame(),
            row.width(), row.height(), row.photo() ? " (photo)" : ""));
      }
      out.printf("model %s at %dx%d: %.2f ms per frame at batch 8 (%.1f frames/s); CRF / model per frame: %s%n",
          model.name(), model.inputWidth(), model.inputHeight(), model.msPerFrame(), model.framesPerSecond(), ratios);
    }
    out.flush();
  }

  private static void printRow(PrintWriter out, Row row) {
    String reference = row.referenceMs() == null ? "-" : String.format("%.0f ms", row.referenceMs());
    String speedUp = row.referenceMs() == null ? "-" : String.format("%.1fx", row.referenceMs() / row.totalMs());
    out.printf("%-9s %-28s %7.2f ms %7.2f ms %7.2f ms %12s %8s%n", row.width() + "x" + row.height(), row.label(),
        row.latticeMs(), row.iterationsMs(), row.totalMs(), reference, speedUp);
  }
}
