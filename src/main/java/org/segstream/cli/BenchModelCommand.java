package org.segstream.cli;

import java.nio.file.Path;
import java.util.List;
import org.segstream.bench.BatchSizeBenchmark;
import org.segstream.model.ModelSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code segstream bench model}: frames/s of one model at several batch sizes, at its input size. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = {
      "Measure a model's frames/s at several batch sizes.",
      "Frames/s of a model's session calls at several batch sizes, at the model's input size."
    })
final class BenchModelCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "Model directory (SavedModel + segstream-model.json).")
  Path model;

  @Option(names = "--batches", defaultValue = "1,4,8,16", split = ",", paramLabel = "N,N,...",
      description = "Batch sizes to measure (default: ${DEFAULT-VALUE}).")
  List<Integer> batches;

  @Option(names = "--seconds", defaultValue = "5", paramLabel = "S",
      description = "Measuring time per batch size, after one warm-up call (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--intra-op-threads", defaultValue = "2",
      description = "TensorFlow intra-op threads (default: ${DEFAULT-VALUE}).")
  int intraOpThreads;

  @Option(names = "--inter-op-threads", defaultValue = "1",
      description = "TensorFlow inter-op threads (default: ${DEFAULT-VALUE}).")
  int interOpThreads;

  @Override
  public void run() {
    BatchSizeBenchmark.run(new BatchSizeBenchmark.Request(model, batches, seconds, new ModelSettings(intraOpThreads, interOpThreads)),
        spec.commandLine().getOut());
  }
}
