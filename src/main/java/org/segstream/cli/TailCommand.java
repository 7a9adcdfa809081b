package org.segstream.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.segstream.results.Tail;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segstream tail}: the example downstream consumer. Reads {@code segstream.masks} with
 * {@code read_committed} (only results of committed transactions) and prints one line per result;
 * with {@code --dlq} it reads the dead letters of {@code segstream.frames.dlq} instead.
 */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = {
      "Print segmentation results as they arrive.",
      "Print the segmentation results on segstream.masks as they arrive (read_committed): one line per result",
      "with stream, sequence, latency from capture to result and class fractions; optionally save the label maps.",
      "With --dlq, print the dead letters of segstream.frames.dlq instead: stage, stream, sequence, the failed",
      "record's topic-partition@offset and the reason; optionally save each failed record's value."
    })
final class TailCommand implements Callable<Integer> {
  @Option(names = "--from-beginning", description = "Start at the oldest record instead of the next new one.")
  boolean fromBeginning;

  @Option(
      names = "--dlq",
      description = "Read the dead letters (segstream.frames.dlq) instead of the results: one line per dead letter, "
          + "<stage> <stream> seq=<n|-> <topic>-<partition>@<offset> reason=<message>.")
  boolean deadLetters;

  @Option(
      names = "--max-results",
      paramLabel = "N",
      defaultValue = "0",
      description = "Stop after N records, end-of-stream markers included (default ${DEFAULT-VALUE}: no limit).")
  long maxResults;

  @Option(
      names = "--save-dir",
      paramLabel = "DIR",
      description = "Write each label map as DIR/<stream>-<sequence, 6 digits>.png (8-bit grey, pixel = class index); "
          + "with --dlq, each failed record's value as DIR/<topic>-<partition>-<offset>.bin. An existing file is an "
          + "error (exit 2) unless --overwrite is given.")
  Path saveDir;

  @Option(
      names = "--json",
      description = "Print one JSON object per line instead of text, for jq and scripts: stream, sequence, times, latencyMs, "
          + "classes (name, fraction, contour count), contours, contoursDropped, instances, producerVersion...; with --dlq, "
          + "stage, stream, sequence, topic, partition, offset, errorClass, errorMessage.")
  boolean json;

  @Option(names = "--overwrite", description = "Let --save-dir replace files that exist (default: stop with exit code 2).")
  boolean overwrite;

  @Option(
      names = "--timeout-ms",
      paramLabel = "MS",
      defaultValue = "0",
      description = "Stop when no record arrives for MS milliseconds (default ${DEFAULT-VALUE}: wait forever).")
  long timeoutMs;

  @Mixin KafkaOptions kafka;
  @Mixin ValueFormatOptions valueFormat;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Tail.Request request = new Tail.Request(fromBeginning, deadLetters, maxResults, saveDir, overwrite, Duration.ofMillis(timeoutMs),
        json);
    try (Tail tail = Tail.open(request, valueFormat.applyTo(kafka.settings()))) {
      // Ctrl-C: leave the poll and close the consumer cleanly
      Thread hook = new Thread(() -> tail.stop(Duration.ofSeconds(10)), "segstream-tail-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        tail.run(spec.commandLine().getOut(), spec.commandLine().getErr());
      } finally {
        IngestCommand.removeHook(hook);
      }
    }
    return ExitCodes.OK;
  }
}
