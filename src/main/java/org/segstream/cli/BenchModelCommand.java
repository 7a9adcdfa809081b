package org.segstream.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.segstream.bench.BatchSizeBenchmark;
import org.segstream.model.InputGeometry;
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
      "Frames/s of a model's session calls at several batch sizes, at the input size of a frame of --frame-size."
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

  @Option(names = "--frame-size", defaultValue = "640x360", paramLabel = "WxH",
      description = "The frame size whose input size the model runs at: the model's fixed size for a stretching"
          + " model, the aspect-true size otherwise (default: ${DEFAULT-VALUE}).")
  String frameSize;

  @Option(names = "--intra-op-threads", defaultValue = "2",
      description = "TensorFlow intra-op threads (default: ${DEFAULT-VALUE}).")
  int intraOpThreads;

  @Option(names = "--inter-op-threads", defaultValue = "1",
      description = "TensorFlow inter-op threads (default: ${DEFAULT-VALUE}).")
  int interOpThreads;

  @Override
  public void run() {
    BatchSizeBenchmark.run(new BatchSizeBenchmark.Request(model, batches, seconds, new ModelSettings(intraOpThreads, interOpThreads),
        frame()), spec.commandLine().getOut());
  }

  private InputGeometry.Size frame() {
    Matcher m = Pattern.compile("(\\d{1,5})x(\\d{1,5})").matcher(frameSize.strip().toLowerCase(Locale.ROOT));
    if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(2)) < 1) {
      throw new UsageException("--frame-size '" + frameSize + "' is not WxH with positive sides, e.g. 640x360");
    }
    return new InputGeometry.Size(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }
}
