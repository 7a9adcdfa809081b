package org.segstream.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.segstream.bench.ChaosBenchmark;
import org.segstream.bench.ChaosResult;
import org.segstream.process.ProcessorSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segstream bench chaos}: synthetic streams at a steady rate through an embedded broker
 * (a log directory that survives its restart) into {@code process} child JVMs, while the processor
 * is killed hard and restarted with the same instance id and state directory, and the broker is
 * restarted once. Counts, under read_committed, the frames with no result and with more than one.
 */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description = {
      "Check exactly-once delivery through processor kills and a broker restart.",
      "Replay synthetic streams through an embedded broker into process child JVMs, kill the processor hard --kills times",
      "and restart the broker once; print frames in, results out, lost, duplicated, dead letters and restart-to-first-result",
      "times. Exit 3 when a frame was lost or answered twice."
    })
final class BenchChaosCommand implements Callable<Integer> {
  @Mixin ModelSelection modelSelection;
  @Mixin ProcessorOptions processorOptions;

  @Option(names = "--frames", defaultValue = "5000", description = "Frames in all, over every stream (default ${DEFAULT-VALUE}).")
  int frames;

  @Option(names = "--streams", defaultValue = "4", description = "Synthetic streams, fed round robin (default ${DEFAULT-VALUE}).")
  int streams;

  @Option(names = "--kills", defaultValue = "10", description = "Hard kills of the processor, each followed by a restart (default ${DEFAULT-VALUE}).")
  int kills;

  @Option(names = "--rate", defaultValue = "40", description = "Frames per second over all streams (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the kill moments and the pictures (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--instance-heap", defaultValue = "1g", description = "-Xmx of the processor JVM (default ${DEFAULT-VALUE}).")
  String instanceHeap;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "Keep the broker's log, the processor's state directory and its logs here (default: a temporary directory, "
          + "deleted after a run that passed).")
  Path workDir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ProcessorSettings settings = processorOptions.toSettings();
    modelSelection.options(settings); // validates before anything starts
    ChaosBenchmark.Request request = new ChaosBenchmark.Request(frames, streams, kills, rate, seed, workDir,
        ProcessorLaunch.of(spec, instanceHeap), settings, modelSelection.givenDirectory());
    ChaosResult result = ChaosBenchmark.run(request, spec.commandLine().getErr());
    PrintWriter out = spec.commandLine().getOut();
    result.print(out);
    if (!result.exactlyOnce()) {
      throw new QualityGateException(result.failure());
    }
    return ExitCodes.OK;
  }
}
