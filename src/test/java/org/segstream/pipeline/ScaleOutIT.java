package org.segstream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.avro.SegmentationResult;
import org.segstream.results.StreamCollector;
import org.segstream.ingest.FileSource;
import org.segstream.ingest.IngestSettings;
import org.segstream.ingest.IngestSummary;
import org.segstream.ingest.Ingestor;
import org.segstream.ingest.Pacing;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.kafka.Topics;
import org.segstream.synth.SyntheticClip;
import org.segstream.testing.PrometheusText;
import org.segstream.testing.SharedData;
import org.segstream.testing.TestModels;
import org.segstream.video.VideoWriter;

/**
 * Scale-out: two {@code process} JVMs with one application id share the 4-partition frames topic
 * (4 streams, one per partition); one is killed hard mid-run and the other takes over its
 * partitions. Under read_committed every sequence of every stream has exactly one result, in order.
 */
class ScaleOutIT {
  @TempDir Path dir;

  @Test
  void survivorTakesOverAndEveryFrameHasExactlyOneResultInOrder() throws Exception {
    Path cat = SharedData.path("video/cat.mp4");
    Path dog = SharedData.path("video/dog.mp4");
    Path model = TestModels.tiny();
    Path synthA = syntheticClip(dir.resolve("synth-a.mkv"), 11, 150);
    Path synthB = syntheticClip(dir.resolve("synth-b.mkv"), 12, 150);
    int partitions = Topics.FRAMES.partitions();
    assertEquals(4, partitions, "the default frames topic has 4 partitions");
    // stream ids on four different partitions, so both instances have streams to lose and take over
    Map<String, IngestSpec> streams = new LinkedHashMap<>();
    Set<Integer> used = new HashSet<>();
    streams.put(onFreePartition("cat", used, partitions), new IngestSpec(cat, 0, 149));
    streams.put(onFreePartition("dog", used, partitions), new IngestSpec(dog, 320, 289));
    streams.put(onFreePartition("synth-a", used, partitions), new IngestSpec(synthA, 0, 150));
    streams.put(onFreePartition("synth-b", used, partitions), new IngestSpec(synthB, 0, 150));

    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      Path kafkaConfig = dir.resolve("kafka.properties");
      Files.writeString(kafkaConfig, "session.timeout.ms=6000\nheartbeat.interval.ms=1000\ntransaction.timeout.ms=5000\n");
      List<String> args = List.of(
          "--bootstrap-servers", broker.bootstrapServers(), "--kafka-config", kafkaConfig.toString(),
          "--model", model.toString(), "--refine", "off", "--application-id", "scale-out-it",
          "--batch-size", "8", "--batch-max-delay-ms", "50");
      Map<String, List<Long>> sequences = new HashMap<>();
      streams.keySet().forEach(s -> sequences.put(s, new ArrayList<>()));
      Map<String, Long> endOfStream = new HashMap<>();
      Map<String, Long> endOfStreamProducedAtMs = new HashMap<>();
      ExecutorService ingest = Executors.newFixedThreadPool(streams.size());
      try (ProcessorJvm a = ProcessorJvm.start(instance(args, "a"), dir.resolve("a.log"));
          ProcessorJvm b = ProcessorJvm.start(instance(args, "b"), dir.resolve("b.log"));
          StreamCollector collector = StreamCollector.open(broker.settings(), streams.keySet())) {
        a.port(Duration.ofSeconds(60));
        b.port(Duration.ofSeconds(60));
        // both members of the group, the partitions spread over them
        b.awaitStatus("/health/ready", 200, Duration.ofMinutes(2));
        a.awaitStatus("/health/ready", 200, Duration.ofMinutes(2));

        List<Future<IngestSummary>> ingests = new ArrayList<>();
        streams.forEach((id, spec) -> ingests.add(ingest.submit(() -> new Ingestor(broker.settings())
            .ingest(new FileSource(spec.file()), IngestSettings.of(id).withMaxSize(spec.maxSize()).withPacing(new Pacing.Fixed(30))))));

        Set<String> streamsOfA = new TreeSet<>();
        Set<String> streamsOfB = new TreeSet<>();
        long[] killedAtMs = {0};
        long[] firstResultOfAStreamsAfterKillMs = {0};
        int[] total = {0};
        collector.collectUntilEndOfStream(Duration.ofMinutes(6), r -> {
          long now = System.currentTimeMillis();
          if (r.getEndOfStream()) {
            endOfStream.put(r.getStreamId(), r.getSequence());
            endOfStreamProducedAtMs.put(r.getStreamId(), r.getResultWallTimeMs());
          } else {
            sequences.get(r.getStreamId()).add(r.getSequence());
            total[0]++;
          }
          // produced after the kill, so by the survivor (results A committed just before it arrive first)
          if (killedAtMs[0] > 0 && firstResultOfAStreamsAfterKillMs[0] == 0 && streamsOfA.contains(r.getStreamId())
              && r.getResultWallTimeMs() > killedAtMs[0]) {
            firstResultOfAStreamsAfterKillMs[0] = now;
          }
          if (killedAtMs[0] == 0 && total[0] >= 100 && total[0] % 10 == 0) {
            try {
              streamsOfA.addAll(streamsWithFrames(a.scrape()));
              streamsOfB.addAll(streamsWithFrames(b.scrape()));
              // kill while A still has a stream with at least half of its frames to go, so there is work to take over
              boolean aHasWorkLeft = streamsOfA.stream()
                  .anyMatch(s -> sequences.get(s).size() < streams.get(s).frames() / 2);
              if (!streamsOfB.isEmpty() && aHasWorkLeft) {
                a.kill();
                killedAtMs[0] = System.currentTimeMillis();
              }
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        });
        for (Future<IngestSummary> f : ingests) {
          f.get();
        }
        assertTrue(killedAtMs[0] > 0, "instance A was killed mid-run (A had " + streamsOfA + ", B had " + streamsOfB + ")");
        assertTrue(b.process().isAlive(), "the survivor still runs");
        Set<String> overlap = new TreeSet<>(streamsOfA);
        overlap.retainAll(streamsOfB);
        assertTrue(overlap.isEmpty(), "before the kill each stream was on one instance: " + overlap);
        Set<String> takenOver = streamsWithFrames(b.scrape());
        Set<String> aStreamsTakenOver = new TreeSet<>(streamsOfA);
        aStreamsTakenOver.retainAll(takenOver);
        assertFalse(aStreamsTakenOver.isEmpty(), "B took over some of A's streams " + streamsOfA + ": " + takenOver);
        // a stream A had finished (its end committed) before the kill has nothing left to take over
        for (String s : streamsOfA) {
          Long endProducedAt = endOfStreamProducedAtMs.get(s);
          assertTrue(takenOver.contains(s) || (endProducedAt != null && endProducedAt <= killedAtMs[0]),
              "A's stream " + s + " was either finished by A before the kill or taken over by B: B processed "
                  + takenOver + ", its end produced at " + endProducedAt + ", the kill at " + killedAtMs[0]);
        }
        System.out.printf("scale-out: A had %s, B had %s; first result of A's streams produced by B arrived %d ms after the kill%n",
            streamsOfA, streamsOfB, firstResultOfAStreamsAfterKillMs[0] - killedAtMs[0]);
      } finally {
        ingest.shutdownNow();
      }
      streams.forEach((id, spec) -> {
        List<Long> expected = new ArrayList<>();
        for (long s = 0; s < spec.frames(); s++) {
          expected.add(s);
        }
        assertEquals(expected, sequences.get(id), "stream " + id + ": every sequence once, in order; logs in " + dir);
        assertEquals(spec.frames(), endOfStream.get(id), "stream " + id + " ended after its last frame");
      });
    }
  }

  private record IngestSpec(Path file, int maxSize, long frames) {}

  /** The streams this instance has read frames of, from its /metrics. */
  private static Set<String> streamsWithFrames(PrometheusText metrics) {
    Set<String> streams = new TreeSet<>();
    for (PrometheusText.Sample s : metrics.samples()) {
      if (s.name().equals("segstream_frames_in_total") && s.value() > 0) {
        streams.add(s.labels().get("stream"));
      }
    }
    return streams;
  }

  /** {@code base}, or {@code base-N}, whose key lands on a partition not used yet (Kafka's murmur2 partitioner). */
  private static String onFreePartition(String base, Set<Integer> used, int partitions) {
    for (int n = 0; n < 1000; n++) {
      String id = n == 0 ? base : base + "-" + n;
      int partition = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions;
      if (used.add(partition)) {
        return id;
      }
    }
    throw new IllegalStateException("no free partition for " + base);
  }

  private static Path syntheticClip(Path file, long seed, int frames) {
    SyntheticClip clip = new SyntheticClip(seed, 192, 144, 2);
    try (VideoWriter writer = VideoWriter.openLossless(file, clip.width(), clip.height(), clip.fps())) {
      for (int i = 0; i < frames; i++) {
        writer.write(clip.frame(i).image());
      }
    }
    return file;
  }

  /** Two instances on one host: each its own stable id and state directory. */
  private List<String> instance(List<String> args, String id) {
    List<String> withId = new ArrayList<>(args);
    withId.addAll(List.of("--instance-id", "scale-out-" + id, "--state-dir", dir.resolve("state-" + id).toString()));
    return withId;
  }
}
