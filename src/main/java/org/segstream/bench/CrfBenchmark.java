package org.segstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import org.segstream.bench.CrfScenes.Scene;
import org.segstream.image.LabelMap;
import org.segstream.model.ModelBenchmark;
import org.segstream.model.SegmentationModel;
import org.segstream.refine.CrfParams;
import org.segstream.refine.DenseCrf;

/**
 * Milliseconds per frame of the dense CRF on one thread at 160x160, 320x240 (the reference scenes) and 640x480
 * (the 320x240 scene upscaled x2), median of the timed runs after warm-up, with the reference and the tuned
 * parameters; optionally a photo at the processor's refine size and a model's time per frame for the ratio.
 * Given the original C++ code, it times that too in the same run on the same inputs, and compares the labels.
 */
public final class CrfBenchmark {
  private final int repeat;
  private final int warmup;
  private final int threads;

  private CrfBenchmark(CrfRequest request) {
    this.repeat = request.repeat();
    this.warmup = request.warmup();
    this.threads = request.threads();
  }

  public static CrfResult run(CrfRequest request) throws IOException {
    Scene small = CrfScenes.reference(request.referenceDir(), "160x160", 160, 160);
    Scene medium = CrfScenes.reference(request.referenceDir(), "320x240", 320, 240);
    Scene large = CrfScenes.upscale(medium, 2, "320x240 scene upscaled x2");
    List<Scene> scenes = new ArrayList<>(List.of(small, medium, large));
    CrfBenchmark bench = new CrfBenchmark(request);
    ReferenceCrf original = request.originalCode();
    try (SegmentationModel model = request.model() == null ? null : SegmentationModel.load(request.model())) {
      Scene photo = request.photo() == null ? null : CrfScenes.photo(request.photo(), model, request.photoLongSide());
      if (photo != null) {
        scenes.add(photo);
      }
      List<CrfResult.Row> rows = new ArrayList<>();
      Path work = original == null ? null : Files.createTempDirectory("segstream-crf-bench");
      try {
        for (CrfRequest.NamedParams params : request.paramSets()) {
          for (Scene scene : scenes) {
            rows.add(bench.row(scene, params, original, work, scene == photo));
          }
        }
      } finally {
        deleteTree(work);
      }
      List<CrfResult.Row> turns = new ArrayList<>();
      if (photo != null) {
        // the photo and the 320x240 scene taking turns on one instance: both smoothness lattices stay cached
        CrfRequest.NamedParams params = request.paramSets().get(0);
        List<Scene> taking = List.of(medium, photo);
        double[][] ms = bench.timeTakingTurns(taking, params.params());
        for (int s = 0; s < taking.size(); s++) {
          Scene scene = taking.get(s);
          String label = "taking turns: " + scene.name().replaceFirst("^crf-reference/", "");
          turns.add(new CrfResult.Row(scene.image().width(), scene.image().height(), label, params.name(), ms[s][0],
              ms[s][1], ms[s][2], null, false, Double.NaN));
        }
      }
      CrfResult.ModelTime modelTime = model == null ? null : modelTime(model);
      return new CrfResult(request.iterations(), request.repeat(), request.warmup(), original != null, rows, turns,
          modelTime, request.threads());
    }
  }

  /** Ours on {@code scene}, and the original's on the same input right after it when given. */
  private CrfResult.Row row(Scene scene, CrfRequest.NamedParams params, ReferenceCrf original, Path work, boolean photo)
      throws IOException {
    double[] ms;
    double threadedMs = Double.NaN;
    if (threads > 1) {
      // one thread and several taking turns frame by frame, so that both see the same load
      ForkJoinPool pool = new ForkJoinPool(threads);
      try {
        double[][] both = timeAlternating(scene, new DenseCrf(params.params()), new DenseCrf(params.params(), threads, pool));
        ms = both[0];
        threadedMs = both[1][2];
      } finally {
        pool.shutdown();
      }
    } else {
      ms = timeTakingTurns(List.of(scene), params.params())[0];
    }
    CrfResult.Comparison comparison = null;
    if (original != null) {
      ReferenceCrf.Timing theirs = original.time(scene, params.params(), repeat, work);
      LabelMap ours = new DenseCrf(params.params()).refine(scene.image(), scene.probabilities());
      comparison = new CrfResult.Comparison(theirs.medianMs(), ReferenceCrf.agreement(ours, theirs.labels()));
    }
    return new CrfResult.Row(scene.image().width(), scene.image().height(), scene.name(), params.name(), ms[0], ms[1],
        ms[2], comparison, photo, threadedMs);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  private static CrfResult.ModelTime modelTime(SegmentationModel model) {
    ModelBenchmark.Throughput t = ModelBenchmark.measure(model, 8, 3.0, 5);
    return new CrfResult.ModelTime(model.metadata().name(), model.metadata().inputWidth(), model.metadata().inputHeight(),
        t.framesPerSecond());
  }

  /**
   * Per scene, the medians of lattice, iteration and total milliseconds when the scenes take turns
   * on one CRF instance, as streams of different frame sizes do in one Streams task.
   */
  private double[][] timeTakingTurns(List<Scene> scenes, CrfParams params) {
    return timeTurns(scenes, new DenseCrf(params));
  }

  /** The same medians for each CRF on {@code scene}, the CRFs taking turns frame by frame. */
  private double[][] timeAlternating(Scene scene, DenseCrf... crfs) {
    return timeTurns(List.of(scene), crfs);
  }

  /** Medians per (scene, CRF) turn, scene-major: each round runs every scene on every CRF once. */
  private double[][] timeTurns(List<Scene> scenes, DenseCrf... crfs) {
    int turns = scenes.size() * crfs.length;
    for (int i = 0; i < warmup; i++) {
      for (int t = 0; t < turns; t++) {
        Scene scene = scenes.get(t / crfs.length);
        crfs[t % crfs.length].refine(scene.image(), scene.probabilities());
      }
    }
    double[][][] ms = new double[turns][3][repeat];
    for (int i = 0; i < repeat; i++) {
      for (int t = 0; t < turns; t++) {
        Scene scene = scenes.get(t / crfs.length);
        DenseCrf crf = crfs[t % crfs.length];
        long start = System.nanoTime();
        crf.refine(scene.image(), scene.probabilities());
        ms[t][2][i] = (System.nanoTime() - start) / 1e6;
        ms[t][0][i] = crf.lastTimings().latticeMs();
        ms[t][1][i] = crf.lastTimings().iterationsMs();
      }
    }
    double[][] medians = new double[turns][];
    for (int t = 0; t < turns; t++) {
      medians[t] = new double[] {median(ms[t][0]), median(ms[t][1]), median(ms[t][2])};
    }
    return medians;
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
