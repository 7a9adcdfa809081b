package org.segstream.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.segstream.bench.CrfBenchmark;
import org.segstream.bench.CrfRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code segstream bench crf}: milliseconds per frame of the dense CRF on one thread, on the
 * reference scenes, next to the original C++ code's figures on this kind of machine.
 */
@Command(
    name = "crf",
    mixinStandardHelpOptions = true,
    description = {
      "Time the dense CRF beside the original C++ implementation's times.",
      "Time the dense CRF (3 classes, one thread) at 160x160, 320x240 (the reference scenes) and 640x480",
      "(the 320x240 scene upscaled x2), median of --repeat runs after warm-up, next to the reference C++",
      "DenseCRF's times. With --model DIR, also the model's time per frame at batch 8 in the same run and the",
      "ratio of CRF time to model time per frame."
    })
final class BenchCrfCommand implements Callable<Integer> {

  @Option(names = "--iterations", defaultValue = "5", description = "Mean-field iterations (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--repeat", defaultValue = "20", description = "Timed runs per size; the median is reported (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--warmup", defaultValue = "10", description = "Untimed runs per size first, for the JIT (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--reference-dir",
      paramLabel = "DIR",
      description = "The dense-CRF reference scenes (required; BENCHMARKS.md uses " + BenchInputs.CRF_REFERENCE + ").")
  Path referenceDir;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "Also time this model per frame (batch 8, at its input size) for the CRF/model ratio.")
  Path model;

  @Option(
      names = "--image",
      paramLabel = "FILE",
      description = {
        "Also time a photo (JPEG or PNG) scaled to 320 px on the long side, as process refines a frame, with",
        "--model's probabilities for it (uniform without --model). The reference scenes' pixel noise makes",
        "their lattices larger than a photo's."
      })
  Path image;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    CrfRequest request = new CrfRequest(iterations, repeat, warmup, referenceDir, model, image,
        Integer.parseInt(ProcessorOptions.REFINE_MAX_SIZE_DEFAULT));
    BenchInputs.directory(referenceDir, "--reference-dir", "the dense-CRF reference scenes", BenchInputs.CRF_REFERENCE);
    CrfBenchmark.run(request).print(spec.commandLine().getOut());
    return ExitCodes.OK;
  }
}
