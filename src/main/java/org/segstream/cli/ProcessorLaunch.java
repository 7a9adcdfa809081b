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
    return of(spec, maxHeap, List.of());
  }

  /**
   * As above, with every frame fully processed whatever --latency-budget-ms says: for throughput on a
   * topic filled beforehand, where every frame is long past any budget.
   */
  static ProcessorChild.Launcher withoutLatencyBudget(CommandLine.Model.CommandSpec spec, String maxHeap) {
    return of(spec, maxHeap, List.of("--latency-budget-ms"));
  }

  private static ProcessorChild.Launcher of(CommandLine.Model.CommandSpec spec, String maxHeap, List<String> zeroed) {
    List<String> args = new ArrayList<>(List.of(SegstreamCli.class.getName(), "process"));
    args.addAll(flagsOf(spec, "modelSelection"));
    List<String> processor = flagsOf(spec, "processorOptions");
    for (int i = 0; i + 1 < processor.size(); i += 2) {
      if (zeroed.contains(processor.get(i))) {
        processor.set(i + 1, "0");
      }
    }
    args.addAll(processor);
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
