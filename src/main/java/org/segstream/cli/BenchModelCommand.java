package org.segstream.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.segstream.model.Machine;
import org.segstream.model.ModelBenchmark;
import org.segstream.model.ModelMetadata;
import org.segstream.model.ModelSettings;
import org.segstream.model.SegmentationModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code segstream bench model}: frames/s of one model at several batch sizes, at its input size. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Frames/s of a model's session calls at several batch sizes, at the model's input size.")
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
    if (seconds <= 0) {
      throw new UsageException("--seconds must be positive, got " + seconds);
    }
    for (int b : batches) {
      if (b < 1) {
        throw new UsageException("--batches must be positive sizes, got " + b);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    try (SegmentationModel loaded = SegmentationModel.load(model, new ModelSettings(intraOpThreads, interOpThreads))) {
      ModelMetadata m = loaded.metadata();
      out.printf("model     %s %s (%s), input %dx%d, %s%n", m.name(), m.version(), m.architecture(), m.inputWidth(),
          m.inputHeight(), loaded.directory());
      out.printf("size      %,d parameters, %,d multiply-adds per frame%n", m.parameters(), m.macsPerFrame());
      out.printf("machine   %s; TensorFlow intra-op %d, inter-op %d threads%n", Machine.describe(), intraOpThreads,
          interOpThreads);
      out.printf("%n%6s %10s %10s %10s %10s %8s%n", "batch", "frames/s", "ms/batch", "ms/frame", "GMAC/s", "batches");
      for (int b : batches) {
        ModelBenchmark.Throughput t = ModelBenchmark.measure(loaded, b, seconds, 3);
        out.printf("%6d %10.1f %10.2f %10.2f %10.2f %8d%n", b, t.framesPerSecond(), t.msPerBatch(),
            1000 / t.framesPerSecond(), t.framesPerSecond() * m.macsPerFrame() / 1e9, t.batches());
        out.flush();
      }
    }
  }
}
