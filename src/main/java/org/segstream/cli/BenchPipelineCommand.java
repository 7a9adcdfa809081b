package org.segstream.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.segstream.bench.PipelineBenchmark;
import org.segstream.model.BundledModels;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segstream bench pipeline}: in one run, the model alone on the input's frames at the batch
 * size, {@code process} alone on a frames topic filled beforehand, the ingest cost per frame, and
 * the capture → result latency when the input plays at its native rate.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = {
      "Measure pipeline throughput and latency against the model alone.",
      "Pipeline throughput versus the model alone, ingest cost, and latency at the native rate."
    })
final class BenchPipelineCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;
  @Mixin ModelSelection modelSelection;
  @Mixin ProcessorOptions processorOptions;

  @Option(names = "--input", paramLabel = "FILE", description = "The video (required; BENCHMARKS.md uses " + BenchInputs.PIPELINE_CLIP + ").")
  Path input;

  @Option(names = "--copies", defaultValue = "4", description = "Streams of the input put on the frames topic beforehand (default ${DEFAULT-VALUE}).")
  int copies;

  @Option(names = "--skip-latency", description = "Skip the native-rate latency run.")
  boolean skipLatency;

  @Option(names = "--viewer", description = "Also run the copies live through the warm processor twice: without a viewer, "
      + "then with the live view and one MJPEG viewer attached; prints both frame rates.")
  boolean viewer;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PipelineBenchmark.Request request = new PipelineBenchmark.Request(kafka.bootstrapServers, kafka.kafkaConfig,
        BenchInputs.file(input, "--input", "the video to replay", BenchInputs.PIPELINE_CLIP), copies,
        skipLatency, processorOptions.toSettings(), modelSelection.directory(BundledModels.LIVE),
        modelSelection.options(processorOptions.toSettings()),
        viewer);
    PipelineBenchmark.run(request, spec.commandLine().getErr()).print(spec.commandLine().getOut());
    return ExitCodes.OK;
  }
}
