package org.segstream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.avro.SegmentationResult;
import org.segstream.eval.ResultCollector;
import org.segstream.ingest.FileSource;
import org.segstream.ingest.IngestSettings;
import org.segstream.ingest.Ingestor;
import org.segstream.ingest.Pacing;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.testing.SharedData;
import org.segstream.testing.TestModels;

/**
 * {@code segstream process} as a child JVM, killed hard mid-run and started again: under
 * read_committed every frame still has exactly one result.
 */
class CrashRecoveryIT {
  @TempDir Path dir;

  @Test
  void killedProcessorLosesNoFrameAndRepeatsNone() throws Exception {
    Path cat = SharedData.path("video/cat.mp4");
    Path model = TestModels.tiny();
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      // short Kafka waits so the restarted instance does not sit out 45 s defaults
      Path kafkaConfig = dir.resolve("kafka.properties");
      Files.writeString(
          kafkaConfig,
          String.join(
              "\n",
              "session.timeout.ms=6000",
              "heartbeat.interval.ms=1000",
              "transaction.timeout.ms=5000",
              ""));
      // a large batch and a long delay leave frames buffered (only in the changelog) when the kill lands
      List<String> command =
          List.of(
              javaBin(),
              "-Xmx1g",
              "-jar",
              jar(),
              "process",
              "--bootstrap-servers",
              broker.bootstrapServers(),
              "--kafka-config",
              kafkaConfig.toString(),
              "--model",
              model.toString(),
              "--refine",
              "off",
              "--batch-size",
              "16",
              "--batch-max-delay-ms",
              "3000",
              "--application-id",
              "crash-it");
      Map<Long, Integer> resultsPerSequence = new TreeMap<>();
      List<Long> order = new ArrayList<>();
      try (ResultCollector collector = ResultCollector.open(broker.settings(), Set.of("cat"))) {
        Process first = start(command, dir.resolve("first.log"));
        Process[] second = {null};
        try {
          new Ingestor(broker.settings()).ingest(new FileSource(cat), IngestSettings.of("cat").withPacing(new Pacing.Fixed(60)));
          collector.collectUntilEndOfStream(
              Duration.ofMinutes(4),
              r -> {
                if (r.getEndOfStream()) {
                  return;
                }
                resultsPerSequence.merge(r.getSequence(), 1, Integer::sum);
                order.add(r.getSequence());
                if (second[0] == null && resultsPerSequence.size() >= 40) {
                  first.destroyForcibly();
                  try {
                    first.waitFor();
                    second[0] = start(command, dir.resolve("second.log"));
                  } catch (InterruptedException | IOException e) {
                    throw new IllegalStateException(e);
                  }
                }
              });
          assertTrue(second[0] != null, "the first processor was killed mid-run");
        } finally {
          first.destroyForcibly();
          if (second[0] != null) {
            second[0].destroy();
            second[0].waitFor();
          }
        }
      }
      for (long s = 0; s < 149; s++) {
        assertEquals(1, resultsPerSequence.getOrDefault(s, 0), "sequence " + s + " has exactly one result; log: " + dir);
      }
      assertEquals(149, resultsPerSequence.size());
      List<Long> sorted = new ArrayList<>(order);
      sorted.sort(Long::compare);
      assertEquals(sorted, order, "results of one stream arrive in order");
    }
  }

  private static Process start(List<String> command, Path log) throws IOException {
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static String jar() {
    Path jar = Path.of(System.getProperty("segstream.jar", "target/segstream.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run 'mvn package' (failsafe runs after it)");
    }
    return jar.toString();
  }
}
