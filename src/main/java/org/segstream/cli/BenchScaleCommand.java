package org.segstream.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.segstream.bench.ScaleBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segstream bench scale}: throughput of 1, 2... {@code process} JVMs sharing one application
 * id, on a frames topic filled beforehand. Each run counts only the results produced after every
 * instance of the run was ready (RUNNING), so start-up and the first rebalance are not measured.
 */
@Command(
    name = "scale",
    mixinStandardHelpOptions = true,
    description = {
      "Measure the frames/s of several process instances sharing the work.",
      "Frames/s of N process instances (child JVMs, one application id) on a frames topic filled beforehand."
    })
final class BenchScaleCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;
  @Mixin ModelSelection modelSelection;
  @Mixin ProcessorOptions processorOptions;

  @Option(names = "--input", paramLabel = "FILE", description = "The video (required; BENCHMARKS.md uses " + BenchInputs.PIPELINE_CLIP + ").")
  Path input;

  @Option(names = "--copies", defaultValue = "8", description = "Streams of the input put on the frames topic (default ${DEFAULT-VALUE}).")
  int copies;

  @Option(names = "--instances", defaultValue = "1,2", split = ",", paramLabel = "N,N,...", description = "Instance counts to measure (default ${DEFAULT-VALUE}).")
  List<Integer> instances;

  @Option(names = "--instance-heap", defaultValue = "1g", description = "-Xmx of each instance (default ${DEFAULT-VALUE}).")
  String instanceHeap;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ScaleBenchmark.Request request = new ScaleBenchmark.Request(kafka.bootstrapServers, kafka.kafkaConfig,
        BenchInputs.file(input, "--input", "the video to fill the frames topic with", BenchInputs.PIPELINE_CLIP), copies,
        instances, ProcessorLaunch.withoutLatencyBudget(spec, instanceHeap),
        processorOptions.toSettings().withLatencyBudget(Duration.ZERO), modelSelection.givenDirectory());
    ScaleBenchmark.run(request, spec.commandLine().getErr()).print(spec.commandLine().getOut());
    return ExitCodes.OK;
  }
}
