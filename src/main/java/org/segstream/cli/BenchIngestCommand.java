package org.segstream.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.segstream.bench.IngestBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segstream bench ingest}: what one ingest process can take. A file at {@code --rate max}:
 * frames/s, and frames per CPU-second of the publishing thread and of the whole process. With
 * {@code --live URL}: N copies of a live source at once, for each N of {@code --streams}: the rate
 * in, the drops and the CPU used, and whether it kept up without dropping.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Measure ingest capacity: a file at full speed, concurrent live sources.",
      "Ingest capacity: frames/s decoded, encoded and published for a file at --rate max (per CPU-second), and with",
      "--live URL how many concurrent live sources one ingest process sustains without drops."
    })
final class BenchIngestCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Option(names = "--input", paramLabel = "FILE", description = "The file to ingest at --rate max (BENCHMARKS.md uses " + BenchInputs.INGEST_CLIP + "); needed unless --live is given.")
  Path input;

  @Option(names = "--runs", defaultValue = "3", description = "Runs of the file (default ${DEFAULT-VALUE}); the best is reported too.")
  int runs;

  @Option(names = "--live", paramLabel = "URL", description = "A live source (e.g. an RTSP feed at 30 fps) to open N times at once.")
  String live;

  @Option(names = "--streams", split = ",", defaultValue = "1,2,4,6,8", paramLabel = "N,...", description = "Concurrent copies of --live to try (default ${DEFAULT-VALUE}).")
  List<Integer> streams;

  @Option(names = "--seconds", defaultValue = "20", description = "Measured seconds per step of --streams (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--fps", defaultValue = "30", description = "The live source's frame rate: a step keeps up when every copy takes in 95%% of it (default ${DEFAULT-VALUE}).")
  double fps;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (input != null || live == null) {
      BenchInputs.file(input, "--input", "the video file to ingest (or --live URL alone)", BenchInputs.INGEST_CLIP);
    }
    IngestBenchmark.run(new IngestBenchmark.Request(kafka.bootstrapServers, kafka.kafkaConfig, input, runs, live, streams,
        seconds, fps), spec.commandLine().getOut());
    return ExitCodes.OK;
  }
}
