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
 * reference scenes, next to the original C++ code timed in the same run.
 */
@Command(
    name = "crf",
    mixinStandardHelpOptions = true,
    description = {
      "Time the dense CRF against the original C++ code in the same run.",
      "One thread, 3 classes, at 160x160, 320x240 (the reference scenes) and 640x480 (the 320x240 scene",
      "upscaled x2), median of --repeat runs after warm-up, with the reference and the tuned parameters. With",
      "--reference-tool DIR (or --reference-binary FILE) the original DenseCRF runs on the same inputs right",
      "after ours: its time, the speed-up and the share of equal labels. With --model DIR, also the model's",
      "time per frame at batch 8 in the same run and the ratio of CRF time to model time per frame."
    })
final class BenchCrfCommand implements Callable<Integer> {

  @Option(names = "--iterations", defaultValue = "5", description = "Mean-field iterations (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--repeat", defaultValue = "20", description = "Timed runs per size; the median is reported (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(
      names = "--threads",
      defaultValue = "1",
      description = "Also time ours with one frame split over this many threads, next to the one-thread time (default: ${DEFAULT-VALUE}: one thread only).")
  int threads;

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

  @Option(
      names = "--params",
      defaultValue = "both",
      paramLabel = "SET",
      converter = ParametersConverter.class,
      description = "Parameter sets to time: reference (pydensecrf's), tuned (process's default) or both (default: ${DEFAULT-VALUE}).")
  CrfRequest.Parameters parameters;

  @Option(
      names = "--reference-tool",
      paramLabel = "DIR",
      description = {
        "The original dense CRF's folder (shared/tools/densecrf-reference): built once into --reference-build-dir",
        "(needs g++ and libeigen3-dev) and timed on the same inputs in this run."
      })
  Path referenceTool;

  @Option(
      names = "--reference-build-dir",
      defaultValue = "target/densecrf-ref",
      paramLabel = "DIR",
      description = "Where --reference-tool is built; a binary there from an earlier build is reused (default: ${DEFAULT-VALUE}).")
  Path referenceBuildDir;

  @Option(names = "--reference-binary", paramLabel = "FILE", description = "The original dense CRF's driver, built before.")
  Path referenceBinary;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Accepts reference, tuned and both in any case. */
  static final class ParametersConverter implements CommandLine.ITypeConverter<CrfRequest.Parameters> {
    @Override
    public CrfRequest.Parameters convert(String value) {
      try {
        return CrfRequest.Parameters.valueOf(value.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a parameter set: use reference, tuned or both");
      }
    }
  }

  @Override
  public Integer call() throws IOException {
    if (referenceTool != null && referenceBinary != null) {
      throw new UsageException("give --reference-tool or --reference-binary, not both");
    }
    CrfRequest.OriginalCode original = referenceTool == null && referenceBinary == null ? null
        : new CrfRequest.OriginalCode(referenceTool, referenceBuildDir, referenceBinary);
    CrfRequest request = new CrfRequest(iterations, repeat, warmup, referenceDir, model, image,
        Integer.parseInt(ProcessorOptions.REFINE_MAX_SIZE_DEFAULT), parameters, original, threads);
    BenchInputs.directory(referenceDir, "--reference-dir", "the dense-CRF reference scenes", BenchInputs.CRF_REFERENCE);
    CrfBenchmark.run(request).print(spec.commandLine().getOut());
    return ExitCodes.OK;
  }
}
