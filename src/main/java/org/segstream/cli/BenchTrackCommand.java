package org.segstream.cli;

import java.nio.file.Path;
import org.segstream.bench.TrackBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code segstream bench track}: the object tracker's cost per frame and how it follows the synthetic scenes' objects. */
@Command(
    name = "track",
    mixinStandardHelpOptions = true,
    description = {
      "Time the object tracker per frame and score its ids on synthetic scenes.",
      "Time the object tracker per frame (components + matching) on the synthetic tracking scenes (crossing, occlusion,",
      "leave-and-return) and a busier clip, on their exact masks, one thread; print ID switches, fragmentations and IDF1.",
      "--write-scenes DIR also writes each scene as frames/, masks/ and ids/ for eval --gt-instances."
    })
final class BenchTrackCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--width", defaultValue = "640", description = "Frame width (default ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--height", defaultValue = "360", description = "Frame height (default ${DEFAULT-VALUE}).")
  int height;

  @Option(names = "--passes", defaultValue = "20", description = "Timed passes over each clip (default ${DEFAULT-VALUE}).")
  int passes;

  @Option(names = "--warmup", defaultValue = "10", description = "Untimed passes first, JIT warm-up (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--write-scenes", paramLabel = "DIR", description = "Write each scene as DIR/<scene>/frames, masks and ids.")
  Path writeScenes;

  @Override
  public void run() {
    TrackBenchmark.run(new TrackBenchmark.Request(width, height, passes, warmup, writeScenes)).print(spec.commandLine().getOut());
  }
}
