package org.segstream.cli;

import org.segstream.bench.SynthBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code segstream bench synth}: time per synthetic scene, clip frame, contour extraction and metrics. */
@Command(
    name = "synth",
    mixinStandardHelpOptions = true,
    description = {
      "Time synthetic scenes, contours and metrics on one thread.",
      "Time synthetic scenes (128x128), clip frames, contours and metrics (640x360) on one thread."
    })
final class BenchSynthCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--iterations", defaultValue = "200", description = "Timed repetitions per measurement.")
  int iterations;

  @Option(names = "--warmup", defaultValue = "100", description = "Untimed repetitions first (JIT warm-up).")
  int warmup;

  @Override
  public void run() {
    SynthBenchmark.run(new SynthBenchmark.Request(iterations, warmup)).print(spec.commandLine().getOut());
  }
}
