package org.segstream.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import org.segstream.image.LabelMap;
import org.segstream.metrics.BoundaryF;
import org.segstream.metrics.ConfusionMatrix;
import org.segstream.refine.Contour;
import org.segstream.refine.Contours;
import org.segstream.synth.LabelledImage;
import org.segstream.synth.SyntheticClip;
import org.segstream.synth.SyntheticScenes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code segstream bench synth}: time per synthetic scene, clip frame, contour extraction and metrics. */
@Command(
    name = "synth",
    mixinStandardHelpOptions = true,
    description = "Time synthetic scenes (128x128), clip frames, contours and metrics (640x360) on one thread.")
final class BenchSynthCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--iterations", defaultValue = "200", description = "Timed repetitions per measurement.")
  int iterations;

  @Option(names = "--warmup", defaultValue = "100", description = "Untimed repetitions first (JIT warm-up).")
  int warmup;

  @Override
  public void run() {
    if (iterations < 1 || warmup < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--iterations must be ≥ 1 and --warmup ≥ 0, got " + iterations + " and " + warmup);
    }
    PrintWriter out = spec.commandLine().getOut();
    SyntheticScenes scenes = new SyntheticScenes(1);
    report(out, "synth scene 128x128", i -> scenes.next(128, 128));
    SyntheticClip clip = new SyntheticClip(1, 640, 360, 3);
    report(out, "synth clip frame 640x360, 3 objects", clip::frame);
    LabelMap[] truths = new LabelMap[16];
    for (int i = 0; i < truths.length; i++) {
      LabelledImage frame = clip.frame(i * 7);
      truths[i] = frame.truth();
    }
    int[] contourCount = new int[1];
    report(out, "contours 640x360, epsilon 1.5", i -> {
      List<Contour> contours = Contours.extract(truths[i % truths.length], SyntheticScenes.BACKGROUND_CLASS, 1.5, 16);
      contourCount[0] = contours.size();
    });
    out.printf(Locale.ROOT, "  (last frame: %d contours)%n", contourCount[0]);
    ConfusionMatrix matrix = new ConfusionMatrix(SyntheticScenes.CLASS_NAMES.size());
    report(out, "confusion matrix add 640x360", i -> matrix.add(truths[i % 16], truths[(i + 1) % 16]));
    report(out, "boundary F t=2 640x360", i -> BoundaryF.score(truths[i % 16], truths[(i + 1) % 16], 2));
    out.flush();
  }

  private void report(PrintWriter out, String what, IntConsumer step) {
    for (int i = 0; i < warmup; i++) {
      step.accept(i);
    }
    long start = System.nanoTime();
    for (int i = 0; i < iterations; i++) {
      step.accept(i);
    }
    double ms = (System.nanoTime() - start) / 1e6 / iterations;
    out.printf(Locale.ROOT, "%-40s %8.3f ms  (%d runs)%n", what, ms, iterations);
  }
}
