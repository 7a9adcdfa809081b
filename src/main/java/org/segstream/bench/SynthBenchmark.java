package org.segstream.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import org.segstream.config.InvalidSettingException;
import org.segstream.image.LabelMap;
import org.segstream.metrics.BoundaryF;
import org.segstream.metrics.ConfusionMatrix;
import org.segstream.refine.Contour;
import org.segstream.refine.Contours;
import org.segstream.synth.SyntheticClip;
import org.segstream.synth.SyntheticScenes;

/** Time per synthetic scene (128x128), clip frame, contour extraction and metrics (640x360), on one thread. */
public final class SynthBenchmark {
  private static final int TRUTHS = 16;

  private SynthBenchmark() {}

  /** Timed and untimed (JIT warm-up) repetitions per measurement. */
  public record Request(int iterations, int warmup) {
    public Request {
      if (iterations < 1) {
        throw new InvalidSettingException("iterations", "timed repetitions must be at least 1, got " + iterations);
      }
      if (warmup < 0) {
        throw new InvalidSettingException("warmup", "warm-up repetitions must be 0 or more, got " + warmup);
      }
    }
  }

  /** One measurement: mean milliseconds per repetition. */
  public record Timing(String what, double ms, int runs) {}

  /** The timings in order, and how many contours the last frame had. */
  public record Result(List<Timing> timings, int lastFrameContours) {
    public Result {
      timings = List.copyOf(timings);
    }

    public void print(PrintWriter out) {
      for (Timing t : timings) {
        out.printf(Locale.ROOT, "%-40s %8.3f ms  (%d runs)%n", t.what(), t.ms(), t.runs());
        if (t.what().startsWith("contours")) {
          out.printf(Locale.ROOT, "  (last frame: %d contours)%n", lastFrameContours);
        }
      }
      out.flush();
    }
  }

  public static Result run(Request request) {
    List<Timing> timings = new ArrayList<>();
    SyntheticScenes scenes = new SyntheticScenes(1);
    timings.add(time(request, "synth scene 128x128", i -> scenes.next(128, 128)));
    SyntheticClip clip = new SyntheticClip(1, 640, 360, 3);
    timings.add(time(request, "synth clip frame 640x360, 3 objects", clip::frame));
    LabelMap[] truths = new LabelMap[TRUTHS];
    for (int i = 0; i < truths.length; i++) {
      truths[i] = clip.frame(i * 7).truth();
    }
    int[] contourCount = new int[1];
    timings.add(time(request, "contours 640x360, epsilon 1.5", i -> {
      List<Contour> contours = Contours.extract(truths[i % TRUTHS], SyntheticScenes.BACKGROUND_CLASS, 1.5, 16);
      contourCount[0] = contours.size();
    }));
    ConfusionMatrix matrix = new ConfusionMatrix(SyntheticScenes.CLASS_NAMES.size());
    timings.add(time(request, "confusion matrix add 640x360", i -> matrix.add(truths[i % TRUTHS], truths[(i + 1) % TRUTHS])));
    timings.add(time(request, "boundary F t=2 640x360", i -> BoundaryF.score(truths[i % TRUTHS], truths[(i + 1) % TRUTHS], 2)));
    return new Result(timings, contourCount[0]);
  }

  private static Timing time(Request request, String what, IntConsumer step) {
    for (int i = 0; i < request.warmup(); i++) {
      step.accept(i);
    }
    long start = System.nanoTime();
    for (int i = 0; i < request.iterations(); i++) {
      step.accept(i);
    }
    double ms = (System.nanoTime() - start) / 1e6 / request.iterations();
    return new Timing(what, ms, request.iterations());
  }
}
