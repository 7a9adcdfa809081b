package org.segstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code segstream bench ...}: speed and memory measurements; figures go to BENCHMARKS.md. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure speed, memory and robustness (figures in BENCHMARKS.md).",
      "bench model | crf | pipeline | ingest | load | scale | soak | synth | track | chaos."
    },
    subcommands = {
      BenchChaosCommand.class,
      BenchCrfCommand.class,
      BenchIngestCommand.class,
      BenchLoadCommand.class,
      BenchModelCommand.class,
      BenchPipelineCommand.class,
      BenchScaleCommand.class,
      BenchSoakCommand.class,
      BenchSynthCommand.class,
      BenchTrackCommand.class,
    })
final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing benchmark: choose one of " + spec.subcommands().keySet());
  }
}
