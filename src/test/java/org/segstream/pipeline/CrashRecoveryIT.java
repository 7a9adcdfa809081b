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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.avro.Instance;
import org.segstream.avro.SegmentationResult;
import org.segstream.results.StreamCollector;
import org.segstream.ingest.FileSource;
import org.segstream.ingest.IngestSettings;
import org.segstream.ingest.Ingestor;
import org.segstream.ingest.Pacing;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.testing.SharedData;
import org.segstream.testing.TestModels;
import org.segstream.track.Tracker;

/**
 * {@code segstream process} as a child JVM, killed hard mid-run and started again with the same
 * instance id and state directory, on Segstream's default Kafka timeouts (no test-only short ones):
 * the restarted instance produces its first new result within 15 s of starting, and under
 * read_committed every frame still has exactly one result.
 */
class CrashRecoveryIT {
  /** Issue 13: a restarted processor is back to work within this (the aim is 10 s). */
  static final Duration MAX_RESTART_TO_FIRST_RESULT = Duration.ofSeconds(15);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @Test
  void killedProcessorRestartsQuicklyLosesNoFrameAndRepeatsNone() throws Exception {
    Path cat = SharedData.path("video/cat.mp4");
    Path model = TestModels.tiny();
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      // a large batch and a long delay leave frames buffered (only in the changelog) when the kill lands;
      // the Kafka timeouts are Segstream's defaults
      List<String> command =
          List.of(
              javaBin(),
              "-Xmx1g",
              "-jar",
              jar(),
              "process",
              "--bootstrap-servers",
              broker.bootstrapServers(),
              "--model",
              model.toString(),
              "--refine",
              "off",
              "--batch-size",
              "16",
              "--batch-max-delay-ms",
              "1000",
              "--application-id",
              "crash-it",
              "--instance-id",
              "crash-it-instance",
              "--state-dir",
              dir.resolve("state").toString());
      Map<Long, Integer> resultsPerSequence = new TreeMap<>();
      List<Long> order = new ArrayList<>();
      List<SegmentationResult> frameResults = new ArrayList<>();
      long[] restartedAtMs = {0};
      long[] firstNewResultMs = {0};
      ExecutorService ingest = Executors.newSingleThreadExecutor();
      try (StreamCollector collector = StreamCollector.open(broker.settings(), Set.of("cat"))) {
        Process first = start(command, dir.resolve("first.log"));
        Process[] second = {null};
        try {
          // 10 frames/s: the 149 frames still flow while the processor is down and starts again
          Future<?> ingesting = ingest.submit(() ->
              new Ingestor(broker.settings()).ingest(new FileSource(cat), IngestSettings.of("cat").withPacing(new Pacing.Fixed(10))));
          collector.collectUntilEndOfStream(
              Duration.ofMinutes(4),
              r -> {
                if (second[0] != null && firstNewResultMs[0] == 0 && r.getResultWallTimeMs() >= restartedAtMs[0]) {
                  firstNewResultMs[0] = System.currentTimeMillis();
                }
                if (r.getEndOfStream()) {
                  return;
                }
                resultsPerSequence.merge(r.getSequence(), 1, Integer::sum);
                frameResults.add(r);
                order.add(r.getSequence());
                if (second[0] == null && resultsPerSequence.size() >= 40) {
                  first.destroyForcibly();
                  try {
                    first.waitFor();
                    restartedAtMs[0] = System.currentTimeMillis();
                    second[0] = start(command, dir.resolve("second.log"));
                  } catch (InterruptedException | IOException e) {
                    throw new IllegalStateException(e);
                  }
                }
              });
          ingesting.get();
          assertTrue(second[0] != null, "the first processor was killed mid-run");
        } finally {
          ingest.shutdownNow();
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
      assertTrue(firstNewResultMs[0] > 0, "the restarted processor produced results; log: " + dir);
      // the restarted processor tracks from empty: its object ids start from the base of the first frame it handled,
      // above every id the killed one gave (ids are never reused within a stream)
      long firstOfSecond = frameResults.stream().filter(r -> r.getResultWallTimeMs() >= restartedAtMs[0])
          .mapToLong(SegmentationResult::getSequence).min().orElseThrow();
      long base = firstOfSecond * Tracker.ID_STRIDE + 1;
      long instances = 0;
      for (SegmentationResult r : frameResults) {
        for (Instance i : r.getInstances()) {
          instances++;
          boolean bySecond = r.getResultWallTimeMs() >= restartedAtMs[0];
          assertTrue(bySecond ? i.getId() >= base : i.getId() < base,
              "sequence " + r.getSequence() + " (" + (bySecond ? "restarted" : "killed") + " processor): id " + i.getId()
                  + " against the restart's base " + base);
        }
      }
      assertTrue(instances > 0, "the cat is tracked");
      Duration restartToFirstResult = Duration.ofMillis(firstNewResultMs[0] - restartedAtMs[0]);
      System.out.printf("CrashRecoveryIT: restart to first new result %.1f s%n", restartToFirstResult.toMillis() / 1000.0);
      assertTrue(restartToFirstResult.compareTo(MAX_RESTART_TO_FIRST_RESULT) <= 0,
          "the restarted processor's first new result came " + restartToFirstResult.toMillis() + " ms after its start, more than "
              + MAX_RESTART_TO_FIRST_RESULT.toSeconds() + " s; logs: " + dir);
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
