package org.segstream.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.segstream.bench.CrfScenes.Scene;
import org.segstream.model.ModelBenchmark;
import org.segstream.model.SegmentationModel;
import org.segstream.refine.CrfParams;
import org.segstream.refine.DenseCrf;

/**
 * Milliseconds per frame of the dense CRF on one thread at 160x160, 320x240 (the reference scenes) and 640x480
 * (the 320x240 scene upscaled x2), median of the timed runs after warm-up, next to the reference C++ DenseCRF's
 * times; optionally a photo at the processor's refine size and a model's time per frame for the ratio.
 */
public final class CrfBenchmark {
  /** The reference C++ DenseCRF's medians (crf-reference/README.md) at 160x160, 320x240, 640x480. */
  private static final double[] REFERENCE_MS_5 = {47, 146, 601};
  private static final double[] REFERENCE_MS_10 = {76, 232, 974};

  private final CrfParams params;
  private final int repeat;
  private final int warmup;

  private CrfBenchmark(CrfRequest request) {
    this.params = request.params();
    this.repeat = request.repeat();
    this.warmup = request.warmup();
  }

  public static CrfResult run(CrfRequest request) throws IOException {
    Scene small = CrfScenes.reference(request.referenceDir(), "160x160", 160, 160);
    Scene medium = CrfScenes.reference(request.referenceDir(), "320x240", 320, 240);
    Scene large = CrfScenes.upscale(medium, 2, "320x240 scene upscaled x2");
    List<Scene> scenes = new ArrayList<>(List.of(small, medium, large));
    CrfBenchmark bench = new CrfBenchmark(request);
    try (SegmentationModel model = request.model() == null ? null : SegmentationModel.load(request.model())) {
      Scene photo = request.photo() == null ? null : CrfScenes.photo(request.photo(), model, request.photoLongSide());
      if (photo != null) {
        scenes.add(photo);
      }
      double[] reference = request.iterations() == 5 ? REFERENCE_MS_5 : request.iterations() == 10 ? REFERENCE_MS_10 : null;
      List<CrfResult.Row> rows = new ArrayList<>();
      for (int s = 0; s < scenes.size(); s++) {
        Scene scene = scenes.get(s);
        Double referenceMs = reference != null && s < reference.length ? reference[s] : null;
        rows.add(row(scene, scene.name(), bench.timeTakingTurns(List.of(scene))[0], referenceMs, scene == photo));
      }
      List<CrfResult.Row> turns = new ArrayList<>();
      if (photo != null) {
        // the photo and the 320x240 scene taking turns on one instance: both smoothness lattices stay cached
        List<Scene> taking = List.of(medium, photo);
        double[][] ms = bench.timeTakingTurns(taking);
        for (int s = 0; s < taking.size(); s++) {
          Scene scene = taking.get(s);
          turns.add(row(scene, "taking turns: " + scene.name().replaceFirst("^crf-reference/", ""), ms[s], null, false));
        }
      }
      CrfResult.ModelTime modelTime = model == null ? null : modelTime(model);
      return new CrfResult(request.iterations(), request.repeat(), request.warmup(), rows, turns, modelTime);
    }
  }

  private static CrfResult.Row row(Scene scene, String label, double[] ms, Double referenceMs, boolean photo) {
    return new CrfResult.Row(scene.image().width(), scene.image().height(), label, ms[0], ms[1], ms[2], referenceMs, photo);
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
  private double[][] timeTakingTurns(List<Scene> scenes) {
    DenseCrf crf = new DenseCrf(params);
    for (int i = 0; i < warmup; i++) {
      for (Scene scene : scenes) {
        crf.refine(scene.image(), scene.probabilities());
      }
    }
    double[][][] ms = new double[scenes.size()][3][repeat];
    for (int i = 0; i < repeat; i++) {
      for (int s = 0; s < scenes.size(); s++) {
        Scene scene = scenes.get(s);
        long start = System.nanoTime();
        crf.refine(scene.image(), scene.probabilities());
        ms[s][2][i] = (System.nanoTime() - start) / 1e6;
        ms[s][0][i] = crf.lastTimings().latticeMs();
        ms[s][1][i] = crf.lastTimings().iterationsMs();
      }
    }
    double[][] medians = new double[scenes.size()][];
    for (int s = 0; s < scenes.size(); s++) {
      medians[s] = new double[] {median(ms[s][0]), median(ms[s][1]), median(ms[s][2])};
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
