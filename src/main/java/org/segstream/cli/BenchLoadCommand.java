package org.segstream.cli;

import org.segstream.process.ProcessorSettings;

import java.util.List;
import java.util.concurrent.Callable;
import org.segstream.bench.LoadBenchmark;
import org.segstream.bench.LoadResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segstream bench load}: one warm {@code process} offered 1, 2, 4 and 8 synthetic streams at a camera's
 * rate in turn; per load the results' rate, latency, what was left out to keep the latency budget, and the
 * accuracy against the clips' exact truth. Exit 3 when a frame got no result or more than one.
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
      "Offer a warm processor 1, 2, 4 and 8 streams at 30 fps: latency, shares, mIoU.",
      "Offer one warm processor --streams synthetic 640x360 streams at --fps each, one load after the other; print per load",
      "the offered and achieved results/s, capture -> result p50/p95/p99, the shares of results fully processed, refined at a",
      "lower resolution, unrefined and skipped (leftOut), and the mIoU against the exact truth. Exit 3 when a frame got no",
      "result or more than one."
    })
final class BenchLoadCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;
  @Mixin ModelSelection modelSelection;
  @Mixin ProcessorOptions processorOptions;

  @Option(names = "--streams", defaultValue = "1,2,4,8", split = ",", paramLabel = "N",
      description = "The loads, in streams, run in this order (default ${DEFAULT-VALUE}).")
  List<Integer> streams;

  @Option(names = "--fps", defaultValue = "30", description = "Frames per second of each stream (default ${DEFAULT-VALUE}).")
  double fps;

  @Option(names = "--seconds", defaultValue = "20", description = "Length of each load (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--warmup-seconds", defaultValue = "3",
      description = "One stream through the processor before the first load, not reported (default ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(names = "--objects", defaultValue = "3", description = "Moving objects per synthetic clip (default ${DEFAULT-VALUE}).")
  int objects;

  @Option(names = "--seed", defaultValue = "7", description = "Seed of the synthetic clips (default ${DEFAULT-VALUE}).")
  long seed;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    // the synthetic clips need a model of synthetic scenes: --model, else the demo's (cached or trained now)
    LoadBenchmark.Request request = new LoadBenchmark.Request(kafka.bootstrapServers, kafka.kafkaConfig, streams, fps, seconds,
        warmupSeconds, objects, seed, budgeted(processorOptions.toSettings()), modelSelection.givenDirectory(),
        modelSelection.options(processorOptions.toSettings()));
    LoadResult result = LoadBenchmark.run(request, spec.commandLine().getErr());
    result.print(spec.commandLine().getOut());
    if (!result.exactlyOnce()) {
      throw new QualityGateException(result.failure());
    }
    return ExitCodes.OK;
  }

  /** The live budget unless --latency-budget-ms was given: the loads are live cameras. */
  private ProcessorSettings budgeted(ProcessorSettings settings) {
    return ProcessorOptions.withLiveBudgetUnlessGiven(settings, spec);
  }
}
