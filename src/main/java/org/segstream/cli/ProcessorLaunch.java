package org.segstream.cli;

import java.util.ArrayList;
import java.util.List;
import org.segstream.bench.ProcessorChild;
import picocli.CommandLine;

/** How the benchmarks start {@code process} child JVMs: this CLI's {@code process} with the command's model and processor flags. */
final class ProcessorLaunch {
  private ProcessorLaunch() {}

  /** {@code SegstreamCli process} with the values of the command's {@code modelSelection} and {@code processorOptions} mixins. */
  static ProcessorChild.Launcher of(CommandLine.Model.CommandSpec spec, String maxHeap) {
    List<String> args = new ArrayList<>(List.of(SegstreamCli.class.getName(), "process"));
    args.addAll(flagsOf(spec, "modelSelection"));
    args.addAll(flagsOf(spec, "processorOptions"));
    return new ProcessorChild.Launcher(args, maxHeap);
  }

  /** The options of one of a command's mixins that have a value, as flags for a {@code process} child. */
  static List<String> flagsOf(CommandLine.Model.CommandSpec spec, String mixin) {
    List<String> args = new ArrayList<>();
    for (CommandLine.Model.OptionSpec option : spec.mixins().get(mixin).options()) {
      Object value = option.getValue();
      if (value != null) {
        args.add(option.longestName());
        args.add(String.valueOf(value));
      }
    }
    return args;
  }
}
