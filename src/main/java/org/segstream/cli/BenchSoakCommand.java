package org.segstream.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.segstream.bench.SoakBenchmark;
import org.segstream.ingest.Pacing;
import org.segstream.model.BundledModels;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segstream bench soak}: replays a clip in a loop through ingest and process in this JVM
 * (broker embedded unless --bootstrap-servers) and samples the resident set size. TensorFlow,
 * FFmpeg and OpenCV allocate outside the heap, so a leak there shows in RSS, not in heap figures.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = {
      "Check that resident memory stays flat through a long replay.",
      "Replay a clip in a loop through ingest + process in one JVM for --minutes and sample resident memory;",
      "fails (exit 3) when RSS after the warm-up spreads by more than --max-growth."
    })
final class BenchSoakCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;
  @Mixin ModelSelection modelSelection;
  @Mixin ProcessorOptions processorOptions;

  @Option(names = "--input", paramLabel = "FILE", description = "The clip to loop (required; BENCHMARKS.md uses " + BenchInputs.PIPELINE_CLIP + ").")
  Path input;

  @Option(names = "--minutes", defaultValue = "10", description = "How long to run (default ${DEFAULT-VALUE}).")
  double minutes;

  @Option(names = "--warmup-minutes", description = "Samples before this are not judged (default: a fifth of --minutes).")
  Double warmupMinutes;

  @Option(names = "--sample-s", defaultValue = "10", description = "Seconds between samples (default ${DEFAULT-VALUE}).")
  double sampleSeconds;

  @Option(names = "--rate", defaultValue = "native", paramLabel = "native|max|N", description = "Ingest pacing (default ${DEFAULT-VALUE}).")
  String rate;

  @Option(names = "--max-growth", defaultValue = "0.10", description = "Largest allowed (max - min) / min of RSS after the warm-up (default ${DEFAULT-VALUE}).")
  double maxGrowth;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    SoakBenchmark.Request request = new SoakBenchmark.Request(kafka.bootstrapServers, kafka.kafkaConfig,
        BenchInputs.file(input, "--input", "the clip to loop", BenchInputs.PIPELINE_CLIP), minutes,
        warmupMinutes != null ? warmupMinutes : minutes / 5, sampleSeconds, rate, Pacing.parse(rate), maxGrowth,
        processorOptions.toSettings(), modelSelection.directory(BundledModels.LIVE),
        modelSelection.options(processorOptions.toSettings()));
    PrintWriter out = spec.commandLine().getOut();
    SoakBenchmark.Result result = SoakBenchmark.run(request, out);
    result.print(out);
    if (!result.flat()) {
      throw new QualityGateException(String.format(Locale.ROOT,
          "resident memory spread %.1f%% after the warm-up, more than --max-growth %.0f%%", result.trend().spread() * 100,
          maxGrowth * 100));
    }
    return ExitCodes.OK;
  }
}
