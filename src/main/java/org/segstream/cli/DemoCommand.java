package org.segstream.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.segstream.config.Secrets;
import org.segstream.demo.Demo;
import org.segstream.demo.DemoRequest;
import org.segstream.demo.DemoResult;
import org.segstream.eval.ModeSettings;
import org.segstream.ingest.Pacing;
import org.segstream.model.BundledModels;
import org.segstream.process.ProcessorSettings;
import org.segstream.report.DemoReport;
import org.segstream.report.WrittenReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segstream demo}: the whole path on embedded defaults. A labelled synthetic clip (or
 * {@code --input FILE}) is ingested into Kafka, segmented by the Streams processor and read back;
 * the overlay video and the report land in {@code out/demo}.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole pipeline in one process; write an overlay video and a report.",
      "Run the whole pipeline in one process on embedded defaults: a Kafka broker, a labelled synthetic clip",
      "(or --input FILE with the bundled pets model), ingest, process, results; writes an overlay video and a report."
    })
final class DemoCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;
  @Mixin ValueFormatOptions valueFormat;
  @Mixin ModelSelection modelSelection;
  @Mixin ProcessorOptions processorOptions;

  @Option(names = "--input", paramLabel = "FILE", description = "A real video to segment with the bundled pets model (no ground truth).")
  Path input;

  @Option(names = "--out", defaultValue = "out/demo", paramLabel = "DIR", description = "Where the report and videos go (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--seconds", defaultValue = "10", description = "Length of the synthetic clip (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--width", defaultValue = "640", description = "Synthetic clip width (default ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--height", defaultValue = "360", description = "Synthetic clip height (default ${DEFAULT-VALUE}).")
  int height;

  @Option(names = "--objects", defaultValue = "3", description = "Moving objects in the synthetic clip (default ${DEFAULT-VALUE}).")
  int objects;

  @Option(names = "--seed", defaultValue = "7", description = "Seed of the synthetic clip (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--train-steps",
      defaultValue = "600",
      description = "Optimiser steps of the synthetic-scene model when none is cached: a fixed count, so the model does not "
          + "depend on the machine's speed (default ${DEFAULT-VALUE}, about a minute on 2 cores).")
  int trainSteps;

  @Option(
      names = "--train-seconds",
      defaultValue = "0",
      description = "Optional wall-clock cap on that training, 0 for none (default ${DEFAULT-VALUE}).")
  double trainSeconds;

  @Option(names = "--rate", defaultValue = "native", description = "Ingest pacing: native (real time), max, or frames/s (default ${DEFAULT-VALUE}).")
  String rate;

  @Option(names = "--timeout-s", defaultValue = "600", description = "Give up when the results have not all arrived after this long (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (input != null && !Files.isRegularFile(input)) {
      throw new IllegalArgumentException("--input " + input + " is not a readable file: give a video file");
    }
    DemoResult result = Demo.run(request());
    WrittenReport report = DemoReport.write(result, out);
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.print(report.summary());
    stdout.printf("report: %s, overlay video: %s%n", report.markdown(), report.overlayVideo());
    stdout.flush();
    return ExitCodes.OK;
  }

  /**
   * At the native rate the clip plays like a camera, so the demo keeps {@code run}'s budget for live sources unless one was
   * set; at another rate the frames are all past any budget, as for a file.
   */
  ProcessorSettings budgeted(ProcessorSettings settings) {
    return Pacing.parse(rate) instanceof Pacing.Native ? ProcessorOptions.withLiveBudgetUnlessGiven(settings, spec) : settings;
  }

  private DemoRequest request() {
    ModeSettings mode = new ModeSettings(processorOptions.refine.name(), budgeted(processorOptions.toSettings()));
    // a real video is served by the bundled pets model; the synthetic clip by the synthetic-scene model unless --model
    Path model = input != null ? modelSelection.directory(BundledModels.LIVE) : modelSelection.givenDirectory();
    return DemoRequest.builder(out, mode)
        .input(input)
        .modelDirectory(model)
        .modelOptions(modelSelection.options(mode.settings()))
        .clip(seconds, width, height, objects, seed)
        .training(trainSteps, trainSeconds)
        .pacing(Pacing.parse(rate))
        .timeout(Duration.ofSeconds(timeoutSeconds))
        .cluster(kafka.bootstrapServers, kafka.kafkaConfig)
        .valueFormat(valueFormat.choice())
        .command("segstream " + String.join(" ", Secrets.maskArgs(spec.commandLine().getParseResult().originalArgs())))
        .progress(spec.commandLine().getErr())
        .build();
  }
}
