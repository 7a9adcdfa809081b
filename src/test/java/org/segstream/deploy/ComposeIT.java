package org.segstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.segstream.avro.SegmentationResult;
import org.segstream.kafka.AvroSerdes;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topics;
import org.segstream.testing.Podman;
import org.segstream.testing.SharedData;

/**
 * docker/compose.yaml brought up for real: with the host-network override
 * (docker/compose.host-network.yaml) through docker/compose-podman, the broker image built from
 * Kafka's own jars, two process replicas, the file ingest of a real clip mounted read-only, and
 * tail. Every frame gets exactly one committed result; each replica answers /health/ready on its
 * own port and is a static member under its own hostname (its instance id); a stop drains every
 * container within its stop_grace_period; down leaves nothing behind.
 */
class ComposeIT {
  private static final Path COMPOSE = Path.of("docker/compose.yaml").toAbsolutePath();
  private static final Path HOST_NETWORK = Path.of("docker/compose.host-network.yaml").toAbsolutePath();
  private static final Path RUNNER = Path.of("docker/compose-podman").toAbsolutePath();
  private static final int REPLICAS = 2;
  private static final int CAT_FRAMES = 149;
  /** compose.yaml's stop_grace_period of the Segstream services. */
  private static final int GRACE_SECONDS = 40;
  private static final String APPLICATION_ID = "segstream-process";
  private static final Pattern STOPPED = Pattern.compile("stopped (\\S+) in ([0-9.]+) s, exit (\\d+), grace (\\d+) s");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** One compose project driven by docker/compose-podman. */
  private record Project(Podman podman, String name, Map<String, String> env) {
    Podman.Result run(Duration timeout, String... args) {
      List<String> command = new ArrayList<>(List.of(
          RUNNER.toString(), "-f", COMPOSE.toString(), "-f", HOST_NETWORK.toString(), "-p", name));
      command.addAll(List.of(args));
      return podman.runScript(timeout, env, command);
    }

    String check(Duration timeout, String... args) {
      Podman.Result r = run(timeout, args);
      if (r.exitCode() != 0) {
        throw new AssertionError("compose-podman " + String.join(" ", args) + " exited " + r.exitCode() + ":\n" + r.output());
      }
      return r.output();
    }

    String container(String service, int number) {
      return name + "-" + service + "-" + number;
    }
  }

  @Test
  void theComposeStackRunsScaledOutAndStopsWithinItsGracePeriod() throws Exception {
    Podman podman = Podman.require();
    SharedData.tool("docker-compose");
    Path videos = SharedData.path("video/cat.mp4").getParent();
    long begin = System.nanoTime();
    String segstreamImage = podman.segstreamImage();
    String kafkaImage = podman.kafkaImage();
    Duration images = since(begin);

    // one block of free ports, so that no two of them coincide: broker, controller, ingest, replicas
    int kafkaPort = freePorts(3 + REPLICAS);
    int controllerPort = kafkaPort + 1;
    int ingestMetricsPort = kafkaPort + 2;
    int metricsPort = kafkaPort + 3;
    String bootstrap = "127.0.0.1:" + kafkaPort;
    Map<String, String> env = new HashMap<>();
    env.put("SEGSTREAM_IMAGE", segstreamImage);
    env.put("KAFKA_IMAGE", kafkaImage);
    env.put("KAFKA_PORT", String.valueOf(kafkaPort));
    env.put("KAFKA_CONTROLLER_PORT", String.valueOf(controllerPort));
    env.put("PROCESS_METRICS_PORT", String.valueOf(metricsPort));
    env.put("INGEST_METRICS_PORT", String.valueOf(ingestMetricsPort));
    env.put("VIDEO_DIR", videos.toString());
    Project project = new Project(podman, Podman.uniqueName("compose"), env);
    try {
      long upBegin = System.nanoTime();
      String upLog = project.check(Duration.ofMinutes(10), "up", "--scale", "process=" + REPLICAS);
      Duration up = since(upBegin);
      System.out.println(upLog.strip());
      assertTrue(upLog.contains("kafka healthy after"), "process waited for the broker's health check:\n" + upLog);

      // every frame exactly once, in order, read_committed from the host; the whole topic is read,
      // so a result written twice anywhere would show
      Map<Long, Integer> perSequence = new TreeMap<>();
      List<Long> order = new ArrayList<>();
      long endOfStream = -1;
      SegmentationResult sample = null;
      KafkaSettings kafka = KafkaSettings.of(bootstrap);
      Properties props = kafka.consumerProperties("compose-it-" + UUID.randomUUID(), true);
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        List<TopicPartition> partitions = awaitPartitions(consumer, Topics.MASKS.name(), Duration.ofMinutes(4), project);
        assertEquals(Topics.MASKS.partitions(), partitions.size(), "process created " + Topics.MASKS.name() + " with its partitions");
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos();
        while (endOfStream < 0) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError("no end of stream for cat within 8 minutes (" + perSequence.size() + " results)\n"
                + podman.logs(project.container("process", 1)) + "\n" + podman.logs(project.container("ingest-cat", 1)));
          }
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            SegmentationResult r = AvroSerdes.results().deserializer().deserialize(record.topic(), record.value());
            assertEquals("cat", r.getStreamId(), "only the compose file's ingest writes here");
            if (r.getEndOfStream()) {
              endOfStream = r.getSequence();
              continue;
            }
            perSequence.merge(r.getSequence(), 1, Integer::sum);
            order.add(r.getSequence());
            if (sample == null) {
              sample = r;
            }
          }
        }
      }
      Duration upToResults = since(upBegin);
      assertEquals(CAT_FRAMES, endOfStream, "the end of stream follows the clip's last frame");
      for (long s = 0; s < CAT_FRAMES; s++) {
        assertEquals(1, perSequence.getOrDefault(s, 0), "frame " + s + " has exactly one result");
      }
      assertEquals(CAT_FRAMES, perSequence.size());
      List<Long> sorted = new ArrayList<>(order);
      sorted.sort(Long::compare);
      assertEquals(sorted, order, "the stream's results arrive in order");
      assertEquals("pets-live", sample.getModel().getName(), "the image's bundled model answered");
      assertEquals(0, podman.await(project.container("ingest-cat", 1), Duration.ofMinutes(1)),
          "the ingest played the whole clip and ended well:\n" + podman.logs(project.container("ingest-cat", 1)));

      try (Admin admin = Admin.create(kafka.adminProperties())) {
        checkTopicsMadeByProcess(admin);
        List<String> hostnames = new ArrayList<>();
        for (int n = 1; n <= REPLICAS; n++) {
          String replica = project.container("process", n);
          assertEquals(200, awaitReady(metricsPort + n - 1, Duration.ofMinutes(2)),
              replica + " answers /health/ready on its own port " + (metricsPort + n - 1) + ":\n" + podman.logs(replica));
          hostnames.add(podman.check(Duration.ofSeconds(30), "inspect", "--format", "{{.Config.Hostname}}", replica).strip()
              .lines().reduce((a, b) -> b).orElse(""));
        }
        assertEquals(REPLICAS, new HashSet<>(hostnames).size(), "every replica has its own hostname: " + hostnames);
        checkGroupMembers(admin, hostnames);
      }
      String tail = project.container("tail", 1);
      awaitLog(podman, tail, "cat seq=" + endOfStream + " end-of-stream", Duration.ofMinutes(1));
      assertTrue(podman.logs(tail).contains("cat seq=0 "), "tail printed the first result:\n" + podman.logs(tail));

      // stop: dependents first, each within its grace period: the processors drain (commit) and exit
      long stopBegin = System.nanoTime();
      String stopLog = project.check(Duration.ofMinutes(5), "stop");
      Duration stop = since(stopBegin);
      System.out.println(stopLog.strip());
      Map<String, double[]> stopped = new TreeMap<>();
      Matcher m = STOPPED.matcher(stopLog);
      while (m.find()) {
        stopped.put(m.group(1), new double[] {Double.parseDouble(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))});
      }
      for (int n = 1; n <= REPLICAS; n++) {
        String replica = project.container("process", n);
        double[] s = stopped.get(replica);
        assertTrue(s != null, replica + " was stopped:\n" + stopLog);
        String log = podman.logs(replica);
        assertEquals(GRACE_SECONDS, (int) s[2], "the stop waits compose.yaml's stop_grace_period");
        assertTrue(s[1] == 143 || s[1] == 0, replica + " ended by SIGTERM after its shutdown hook, not killed: exit " + (int) s[1] + "\n" + log);
        assertTrue(s[0] < GRACE_SECONDS, replica + " drained within the grace period: " + s[0] + " s");
        assertTrue(log.contains("Kafka Streams closed in"), replica + " logs its clean close:\n" + log);
        assertFalse(log.contains("did not stop within"), log);
      }
      double[] broker = stopped.get(project.container("kafka", 1));
      assertTrue(broker != null && broker[1] == 143, "the broker stopped last, by SIGTERM:\n" + stopLog);
      assertTrue(stopLog.indexOf(project.container("kafka", 1)) > stopLog.indexOf(project.container("process", 1)),
          "the broker stops after the processors that commit to it:\n" + stopLog);

      long downBegin = System.nanoTime();
      project.check(Duration.ofMinutes(3), "down", "-v");
      Duration down = since(downBegin);
      String label = "label=com.docker.compose.project=" + project.name();
      assertEquals("", podman.check(Duration.ofSeconds(30), "ps", "-a", "--filter", label, "--format", "{{.Names}}").strip(),
          "down removed every container");
      assertEquals("", podman.check(Duration.ofSeconds(30), "volume", "ls", "--filter", label, "--format", "{{.Name}}").strip(),
          "down -v removed the named volumes");
      System.out.printf(
          "compose: images %.1f s, up (broker healthy, containers started) %.1f s, up to the last result %.1f s, stop %.1f s, down %.1f s, test %.1f s%n",
          secs(images), secs(up), secs(upToResults), secs(stop), secs(down), secs(since(begin)));
    } finally {
      project.run(Duration.ofMinutes(3), "down", "-v");
    }
  }

  /** Process (or ingest) created Segstream's topics with their partitions and size limits, not the broker's defaults. */
  private static void checkTopicsMadeByProcess(Admin admin) throws Exception {
    TopicDescription frames = admin.describeTopics(List.of(Topics.FRAMES.name())).allTopicNames().get(30, TimeUnit.SECONDS)
        .get(Topics.FRAMES.name());
    assertEquals(Topics.FRAMES.partitions(), frames.partitions().size());
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.FRAMES.name());
    String maxBytes = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
        .get("max.message.bytes").value();
    assertEquals(Topics.FRAMES.configs().get("max.message.bytes"), maxBytes, Topics.FRAMES.name() + "'s size limit");
  }

  /**
   * Both replicas are static members of the one application id and share the frame partitions;
   * each member's instance id is its replica's hostname (process's default --instance-id) with the
   * stream thread's suffix Kafka Streams appends ({@code -1}).
   */
  private static void checkGroupMembers(Admin admin, List<String> hostnames) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    ConsumerGroupDescription group = null;
    while (System.nanoTime() < deadline) {
      try {
        group = admin.describeConsumerGroups(List.of(APPLICATION_ID)).all().get(30, TimeUnit.SECONDS).get(APPLICATION_ID);
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        group = null;
      }
      if (group != null && group.members().size() == REPLICAS
          && group.members().stream().allMatch(member -> member.assignment().topicPartitions().stream()
              .anyMatch(tp -> tp.topic().equals(Topics.FRAMES.name())))) {
        break;
      }
      Thread.sleep(500);
    }
    assertTrue(group != null, "the group " + APPLICATION_ID + " could be described");
    assertEquals(REPLICAS, group.members().size(), "both replicas are members: " + group);
    Set<String> instanceIds = new HashSet<>();
    for (MemberDescription member : group.members()) {
      assertTrue(member.assignment().topicPartitions().stream().anyMatch(tp -> tp.topic().equals(Topics.FRAMES.name())),
          "every replica holds frame partitions: " + group);
      Optional<String> id = member.groupInstanceId();
      assertTrue(id.isPresent(), "a static member (an instance id): " + member);
      assertTrue(id.get().matches(".+-\\d+"), "Kafka Streams' thread suffix on " + id.get());
      instanceIds.add(id.get().substring(0, id.get().lastIndexOf('-')));
    }
    assertEquals(new HashSet<>(hostnames), instanceIds, "each replica's instance id is its own hostname");
    System.out.println("compose: static members " + group.members().stream().map(m -> m.groupInstanceId().orElse("?")).toList());
  }

  /** The topic's partitions once process has created it (the broker creates none on its own). */
  private static List<TopicPartition> awaitPartitions(KafkaConsumer<?, ?> consumer, String topic, Duration timeout, Project project) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        if (infos != null && !infos.isEmpty()) {
          return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        }
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        // not created yet
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(topic + " was not created within " + timeout + ":\n" + project.podman().logs(project.container("process", 1)));
      }
      sleep(Duration.ofMillis(500));
    }
  }

  private static int awaitReady(int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int status;
    while ((status = status(port)) != 200 && System.nanoTime() < deadline) {
      sleep(Duration.ofMillis(500));
    }
    return status;
  }

  private static void awaitLog(Podman podman, String container, String line, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!podman.logs(container).contains(line)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(container + " did not print '" + line + "' within " + timeout + ":\n" + podman.logs(container));
      }
      sleep(Duration.ofSeconds(1));
    }
  }

  private static int status(int port) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1; // not listening (yet)
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }

  private static double secs(Duration d) {
    return d.toMillis() / 1000.0;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The first of {@code count} consecutive free ports on 127.0.0.1. */
  private static int freePorts(int count) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int first = freePort();
      boolean free = true;
      for (int i = 1; i < count && free; i++) {
        try (ServerSocket probe = new ServerSocket(first + i, 1, InetAddress.getLoopbackAddress())) {
          free = probe.isBound();
        } catch (IOException e) {
          free = false;
        }
      }
      if (free && first + count - 1 <= 65535) {
        return first;
      }
    }
    throw new IOException("no " + count + " consecutive free ports on 127.0.0.1 in 50 attempts");
  }
}
