package org.segstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.segstream.avro.SegmentationResult;
import org.segstream.results.StreamCollector;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.testing.Podman;
import org.segstream.testing.SharedData;

/**
 * The shipped image (docker/Dockerfile's runtime stage) running the pipeline: a processor container
 * and ingest containers on the host network beside this test's broker, with a read-only root file
 * system. A stopped processor drains within the grace period and a new container resumes with no
 * frame lost or repeated; a stopped ingest publishes its end of stream.
 */
class ContainerPipelineIT {
  /** `podman stop --time`: above the 30 s Streams close timeout, as compose's stop_grace_period. */
  private static final int STOP_GRACE_SECONDS = 40;
  private static final int CAT_FRAMES = 149;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void pipelineRunsInContainersStopsCleanlyAndResumes() throws Exception {
    Podman podman = Podman.require();
    Path videos = SharedData.path("video/cat.mp4").getParent();
    String image = podman.segstreamImage();
    String processor1 = Podman.uniqueName("processor-1");
    String processor2 = processor1.replace("processor-1", "processor-2");
    String ingestCat = processor1.replace("processor-1", "ingest-cat");
    String ingestSlow = processor1.replace("processor-1", "ingest-slow");
    String cache = processor1.replace("processor-1", "cache");
    List<String> containers = List.of(processor1, processor2, ingestCat, ingestSlow);
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      int metricsPort = freePort();
      int ingestMetricsPort = freePort();
      List<String> processorArgs = List.of(
          // one stable hostname for both containers: the instance id static membership keys on
          "--hostname", "segstream-it-processor",
          "--read-only", "--tmpfs", "/tmp",
          "-v", cache + ":/home/segstream/.cache",
          "-e", "SEGSTREAM_METRICS_PORT=" + metricsPort,
          "-e", "SEGSTREAM_METRICS_HOST=127.0.0.1",
          image,
          "process", "--bootstrap-servers", broker.bootstrapServers(), "--application-id", "container-it", "--refine", "off");

      Duration startToReady = startProcessor(podman, processor1, processorArgs, metricsPort);
      System.out.printf("processor container: start to /health/ready in %.1f s%n", startToReady.toMillis() / 1000.0);
      Podman.Result health = podman.run(Duration.ofSeconds(30), "healthcheck", "run", processor1);
      assertEquals(0, health.exitCode(), "the image's HEALTHCHECK passes on a ready processor: " + health.output());

      Map<Long, Integer> resultsPerSequence = new TreeMap<>();
      List<Long> order = new ArrayList<>();
      List<SegmentationResult> sample = new ArrayList<>();
      Duration[] stopTook = {null};
      Duration[] restartToReady = {null};
      try (StreamCollector collector = StreamCollector.open(broker.settings(), Set.of("cat"))) {
        podman.check(Duration.ofSeconds(60), runArgs(ingestCat,
            "--read-only", "--tmpfs", "/tmp",
            "-v", videos + ":/videos:ro",
            "-e", "SEGSTREAM_METRICS_PORT=" + ingestMetricsPort,
            image, "ingest", "--bootstrap-servers", broker.bootstrapServers(),
            "--input", "/videos/cat.mp4", "--stream-id", "cat", "--rate", "20"));
        collector.collectUntilEndOfStream(Duration.ofMinutes(6), r -> {
          if (r.getEndOfStream()) {
            return;
          }
          resultsPerSequence.merge(r.getSequence(), 1, Integer::sum);
          order.add(r.getSequence());
          if (sample.isEmpty()) {
            sample.add(r);
          }
          if (stopTook[0] == null && resultsPerSequence.size() >= 40) {
            // mid-stream: a batch is open and frames wait in the buffer store
            long begin = System.nanoTime();
            podman.check(Duration.ofSeconds(STOP_GRACE_SECONDS + 30), "stop", "--time", String.valueOf(STOP_GRACE_SECONDS), processor1);
            stopTook[0] = Duration.ofNanos(System.nanoTime() - begin);
            restartToReady[0] = startProcessor(podman, processor2, processorArgs, metricsPort);
          }
        });
      }
      assertTrue(stopTook[0] != null, "the first processor was stopped mid-stream");
      System.out.printf("processor stop (SIGTERM) to exit: %.1f s; second container start to ready: %.1f s%n",
          stopTook[0].toMillis() / 1000.0, restartToReady[0].toMillis() / 1000.0);
      String firstLog = podman.logs(processor1);
      int firstExit = podman.exitCode(processor1);
      assertNotEquals(137, firstExit, "the processor was killed after the grace period, not stopped by it:\n" + firstLog);
      assertTrue(firstExit == 143 || firstExit == 0, "SIGTERM ends the JVM (143) once its shutdown hook ran: " + firstExit + "\n" + firstLog);
      assertTrue(stopTook[0].compareTo(Duration.ofSeconds(STOP_GRACE_SECONDS)) < 0, "drained within the grace period: " + stopTook[0]);
      assertTrue(firstLog.contains("Kafka Streams closed in"), "the processor logs its clean close:\n" + firstLog);
      assertFalse(firstLog.contains("did not stop within"), firstLog);
      assertEquals(0, podman.await(ingestCat, Duration.ofMinutes(2)), "ingest of the whole clip ends well:\n" + podman.logs(ingestCat));

      for (long s = 0; s < CAT_FRAMES; s++) {
        assertEquals(1, resultsPerSequence.getOrDefault(s, 0), "frame " + s + " has exactly one result");
      }
      assertEquals(CAT_FRAMES, resultsPerSequence.size());
      List<Long> sorted = new ArrayList<>(order);
      sorted.sort(Long::compare);
      assertEquals(sorted, order, "results of one stream arrive in order across the restart");
      SegmentationResult first = sample.get(0);
      assertEquals(568, first.getWidth());
      assertEquals(320, first.getHeight());
      assertEquals("pets-live", first.getModel().getName(), "the image's bundled model answered");
      assertTrue(first.getLabelMapPng().remaining() > 0, "a label map");

      // an ingest stopped mid-stream still publishes its end of stream (the processor forwards it)
      try (StreamCollector collector = StreamCollector.open(broker.settings(), Set.of("cat-slow"))) {
        podman.check(Duration.ofSeconds(60), runArgs(ingestSlow,
            "--read-only", "--tmpfs", "/tmp",
            "-v", videos + ":/videos:ro",
            "-e", "SEGSTREAM_METRICS_PORT=" + ingestMetricsPort,
            image, "ingest", "--bootstrap-servers", broker.bootstrapServers(),
            "--input", "/videos/cat.mp4", "--stream-id", "cat-slow", "--rate", "5"));
        Map<Long, Integer> slow = new TreeMap<>();
        long[] endSequence = {-1};
        Duration[] ingestStopTook = {null};
        collector.collectUntilEndOfStream(Duration.ofMinutes(3), r -> {
          if (r.getEndOfStream()) {
            endSequence[0] = r.getSequence();
            return;
          }
          slow.merge(r.getSequence(), 1, Integer::sum);
          if (ingestStopTook[0] == null && slow.size() >= 10) {
            long begin = System.nanoTime();
            podman.check(Duration.ofSeconds(STOP_GRACE_SECONDS + 30), "stop", "--time", String.valueOf(STOP_GRACE_SECONDS), ingestSlow);
            ingestStopTook[0] = Duration.ofNanos(System.nanoTime() - begin);
          }
        });
        assertTrue(ingestStopTook[0] != null, "the ingest was stopped mid-stream");
        System.out.printf("ingest stop (SIGTERM) to exit: %.1f s, end of stream after %d frames%n",
            ingestStopTook[0].toMillis() / 1000.0, endSequence[0]);
        String ingestLog = podman.logs(ingestSlow);
        assertNotEquals(137, podman.exitCode(ingestSlow), "the ingest was killed, not stopped:\n" + ingestLog);
        assertTrue(endSequence[0] > 0 && endSequence[0] < CAT_FRAMES, "stopped before the clip's end: " + endSequence[0]);
        for (long s = 0; s < endSequence[0]; s++) {
          assertEquals(1, slow.getOrDefault(s, 0), "frame " + s + " before the end of stream has exactly one result");
        }
        assertEquals(endSequence[0], slow.size(), "the end of stream follows the last published frame");
      }
    } finally {
      podman.removeQuietly(containers, List.of(cache));
    }
  }

  /** Starts a processor container and waits for /health/ready; returns how long that took. */
  private static Duration startProcessor(Podman podman, String name, List<String> args, int metricsPort) {
    long begin = System.nanoTime();
    List<String> all = new ArrayList<>(List.of("run", "--detach", "--name", name, "--network", "host"));
    all.addAll(args);
    podman.check(Duration.ofSeconds(60), all.toArray(String[]::new));
    long deadline = begin + Duration.ofMinutes(4).toNanos();
    while (status(metricsPort, "/health/ready") != 200) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " was not ready within 4 minutes:\n" + podman.logs(name));
      }
      String state = podman.state(name);
      if (!state.equals("running") && !state.equals("created")) {
        throw new AssertionError(name + " is " + state + " before it was ready:\n" + podman.logs(name));
      }
      sleep(Duration.ofMillis(200));
    }
    return Duration.ofNanos(System.nanoTime() - begin);
  }

  private static String[] runArgs(String name, String... args) {
    List<String> all = new ArrayList<>(List.of("run", "--detach", "--name", name, "--network", "host"));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  private static int status(int port, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Between polls of a condition with a deadline (called from result callbacks, which cannot throw). */
  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
