package org.segstream.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One single-node KRaft broker's configuration and storage, as {@link EmbeddedBroker} runs it: the properties
 * (every replication factor 1, short group waits, 8 MiB frames), formatting a new log directory, and building the
 * server object.
 */
final class KraftNode {
  private static final Logger LOG = LoggerFactory.getLogger(KraftNode.class);

  private KraftNode() {}

  static Properties config(Path dir, int port, int controllerPort, Map<String, String> overrides) throws IOException {
    Properties p = new Properties();
    // an existing log directory keeps its node id; a new one takes the controller port, unique on this
    // machine while the broker runs, so two brokers in one JVM do not clash on JMX names
    int nodeId = existingNodeId(dir).orElse(controllerPort);
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(nodeId));
    p.put("controller.quorum.voters", nodeId + "@" + EmbeddedBroker.HOST + ":" + controllerPort);
    p.put("listeners", "PLAINTEXT://" + EmbeddedBroker.HOST + ":" + port + ",CONTROLLER://" + EmbeddedBroker.HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + EmbeddedBroker.HOST + ":" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dir.toAbsolutePath().toString());
    // one node: every replication factor and min ISR is 1, or exactly-once Streams apps hang
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "false");
    // short waits so tests (and crash tests) do not sit out production defaults
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("group.min.session.timeout.ms", "1000");
    // the same for groups on the new consumer protocol (KIP-848), where the broker sets the timeouts
    p.put("group.consumer.min.session.timeout.ms", "1000");
    p.put("group.consumer.session.timeout.ms", "6000");
    p.put("group.consumer.min.heartbeat.interval.ms", "500");
    p.put("group.consumer.heartbeat.interval.ms", "1000");
    p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    p.put("transaction.remove.expired.transaction.cleanup.interval.ms", "60000");
    // frames of up to 8 MiB and dead letters carrying them
    p.put("message.max.bytes", Integer.toString(EmbeddedBroker.MESSAGE_MAX_BYTES));
    p.put("replica.fetch.max.bytes", Integer.toString(EmbeddedBroker.MESSAGE_MAX_BYTES));
    // a small machine: few threads, a small dedupe buffer (the 128 MiB default is most of the heap use)
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("background.threads", "2");
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
    p.put("log.index.size.max.bytes", Integer.toString(1024 * 1024));
    p.putAll(overrides);
    return p;
  }

  private static OptionalInt existingNodeId(Path dir) throws IOException {
    Path meta = dir.resolve("meta.properties");
    if (!Files.exists(meta)) {
      return OptionalInt.empty();
    }
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(meta)) {
      props.load(reader);
    }
    String nodeId = props.getProperty("node.id");
    if (nodeId == null) {
      throw new KafkaSetupException(meta + " has no node.id: delete the data directory " + dir + " or choose another");
    }
    return OptionalInt.of(Integer.parseInt(nodeId.strip()));
  }

  /** Formats a new log directory for KRaft (what {@code kafka-storage.sh format} does); keeps an existing one. */
  static void formatIfNeeded(Path dir, Properties config) throws IOException {
    if (Files.exists(dir.resolve("meta.properties"))) {
      return;
    }
    Path file = dir.resolve("segstream-broker.properties");
    try (Writer writer = Files.newBufferedWriter(file)) {
      config.store(writer, "written by Segstream's embedded broker to format the log directory");
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      code = StorageTool.execute(
          new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", file.toString()}, out);
    } catch (RuntimeException e) {
      throw new KafkaSetupException("cannot format the Kafka log directory " + dir + ": " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(file);
    }
    String printed = output.toString(StandardCharsets.UTF_8).strip();
    if (code != 0) {
      throw new KafkaSetupException("cannot format the Kafka log directory " + dir + " (exit " + code + "): " + printed);
    }
    LOG.debug("formatted {}: {}", dir, printed);
  }

  /**
   * {@code new KafkaRaftServer(KafkaConfig.fromProps(config), Time.SYSTEM)}, through reflection:
   * KafkaConfig's superclass lives in kafka-server, which kafka_2.13 brings only at run time, so
   * javac cannot see it without one more compile dependency in the pom.
   */
  static KafkaRaftServer newServer(Properties config) {
    try {
      Class<?> configClass = Class.forName("kafka.server.KafkaConfig");
      Object kafkaConfig = configClass.getMethod("fromProps", Properties.class, boolean.class).invoke(null, config, false);
      return (KafkaRaftServer) KafkaRaftServer.class.getConstructor(configClass, Time.class).newInstance(kafkaConfig, Time.SYSTEM);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new KafkaSetupException("cannot configure the embedded Kafka broker: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new KafkaSetupException("the Kafka broker classes (kafka_2.13 " + "4.x) are not on the class path: " + e, e);
    }
  }
}
