package org.segstream.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster (KRaft, combined broker + controller) running inside this JVM on
 * 127.0.0.1, for the demo, the tests and {@code segstream broker}. Every replication factor and
 * min ISR is 1, and the group and transaction timeouts are short so crash tests need not wait out
 * production defaults. Two brokers in one JVM get their own ports, node ids and directories.
 *
 * <p>{@link #start()} formats a temporary log directory, starts the server, waits until an admin
 * client can describe the cluster and creates Segstream's topics; {@link #close()} stops it and
 * deletes the temporary directory. Kafka logs through slf4j (WARN by the bundled logback.xml).
 */
public final class EmbeddedBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
  private static final String HOST = "127.0.0.1";
  private static final int BIND_ATTEMPTS = 3;
  /** The broker accepts the largest producer request Segstream sends, plus headroom. */
  public static final int MESSAGE_MAX_BYTES = 10 * 1024 * 1024;

  /**
   * How to start a broker.
   *
   * @param port the client listener's port; 0 picks a free one
   * @param dataDir where the log lives and stays after close; null: a temporary directory deleted on close
   * @param createTopics whether to create Segstream's topics once the broker is up
   * @param brokerConfig extra broker properties that override the single-node defaults
   * @param startTimeout how long to wait for the broker to answer
   */
  public record Options(int port, Path dataDir, boolean createTopics, Map<String, String> brokerConfig, Duration startTimeout) {
    public Options {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, not " + port);
      }
      brokerConfig = Map.copyOf(brokerConfig);
    }

    /** A free port, a temporary directory, Segstream's topics, a 60 s deadline. */
    public static Options defaults() {
      return new Options(0, null, true, Map.of(), Duration.ofSeconds(60));
    }

    public Options withPort(int newPort) {
      return new Options(newPort, dataDir, createTopics, brokerConfig, startTimeout);
    }

    public Options withDataDir(Path dir) {
      return new Options(port, dir, createTopics, brokerConfig, startTimeout);
    }

    public Options withCreateTopics(boolean create) {
      return new Options(port, dataDir, create, brokerConfig, startTimeout);
    }

    public Options withBrokerConfig(String key, String value) {
      Map<String, String> more = new HashMap<>(brokerConfig);
      more.put(key, value);
      return new Options(port, dataDir, createTopics, more, startTimeout);
    }
  }

  private final KafkaRaftServer server;
  private final Options options;
  private final String bootstrapServers;
  private final int port;
  private final Path dataDir;
  private final boolean deleteOnClose;
  private final Duration startupTime;
  private boolean closed;

  private EmbeddedBroker(
      KafkaRaftServer server, Options options, int port, Path dataDir, boolean deleteOnClose, Duration startupTime) {
    this.server = server;
    this.options = options;
    this.port = port;
    this.bootstrapServers = HOST + ":" + port;
    this.dataDir = dataDir;
    this.deleteOnClose = deleteOnClose;
    this.startupTime = startupTime;
  }

  /** Starts a broker on a free port with a temporary directory and Segstream's topics. */
  public static EmbeddedBroker start() {
    return start(Options.defaults());
  }

  public static EmbeddedBroker start(Options options) {
    long begin = System.nanoTime();
    boolean temporary = options.dataDir() == null;
    // a free port found now can be taken before the broker binds it: try fresh ports a few times
    for (int attempt = 1; ; attempt++) {
      Path dir = null;
      KafkaRaftServer server = null;
      try {
        dir = temporary ? Files.createTempDirectory("segstream-kafka-") : Files.createDirectories(options.dataDir());
        int port = options.port() == 0 ? freePort() : requireFree(options.port());
        int controllerPort = freePort();
        Properties config = brokerConfig(dir, port, controllerPort, options.brokerConfig());
        formatIfNeeded(dir, config);
        server = newServer(config);
        server.startup();
        EmbeddedBroker broker =
            new EmbeddedBroker(server, options, port, dir, temporary, Duration.ofNanos(System.nanoTime() - begin));
        try {
          broker.awaitReady(deadline(begin, options.startTimeout()));
          if (options.createTopics()) {
            broker.createTopics();
          }
        } catch (RuntimeException e) {
          server = null; // stopped and cleaned up by close()
          broker.close();
          throw e;
        }
        LOG.info("Kafka broker ready at {} in {} ms (log dir {})", broker.bootstrapServers(),
            broker.startupTime().toMillis(), dir);
        return broker;
      } catch (KafkaSetupException e) {
        abandon(server, temporary ? dir : null);
        throw e;
      } catch (RuntimeException e) {
        abandon(server, temporary ? dir : null);
        if (!isBindFailure(e) || attempt >= BIND_ATTEMPTS || options.port() != 0) {
          throw new KafkaSetupException("cannot start the embedded Kafka broker"
              + (options.port() != 0 ? " on port " + options.port() + " (is another broker using it? pick another --port)" : "")
              + ": " + e.getMessage(), e);
        }
        LOG.warn("a port was taken before the broker bound it ({}); trying other ports", e.getMessage());
      } catch (IOException e) {
        abandon(server, temporary ? dir : null);
        throw new KafkaSetupException("cannot prepare the embedded Kafka broker's log directory " + dir + ": " + e, e);
      }
    }
  }

  /** {@code host:port} of the client listener. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Client settings for this broker. */
  public KafkaSettings settings() {
    return KafkaSettings.of(bootstrapServers);
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** From {@link #start()} until the cluster answered (before the topics were created). */
  public Duration startupTime() {
    return startupTime;
  }

  /**
   * Creates Segstream's missing topics with replication 1 and waits until every partition has a
   * leader, so producers and consumers can start at once. Returns the names it created.
   */
  public List<String> createTopics() {
    return createTopics(Topics.all());
  }

  public List<String> createTopics(List<Topic<?, ?>> topics) {
    try (Admin admin = newAdmin()) {
      List<String> created = Topics.ensureCreated(admin, 1, topics);
      awaitLeaders(admin, topics.stream().map(Topic::name).toList(), System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
      return created;
    }
  }

  /**
   * Stops this broker and starts a new one on the same port and log directory, as after a broker
   * crash or an upgrade: topics, records, committed offsets, transactions and consumer groups
   * survive, and clients reconnect to the same address by themselves. This object is closed
   * afterwards: use the returned broker. Needs a log directory that outlives the broker
   * ({@link Options#withDataDir}); a temporary one is deleted on close.
   */
  public EmbeddedBroker restart() {
    if (deleteOnClose) {
      throw new IllegalStateException("the broker at " + bootstrapServers + " has a temporary log directory, deleted when it"
          + " stops: start it with Options.withDataDir(dir) to restart it");
    }
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the broker at " + bootstrapServers + " is closed already");
      }
    }
    close();
    // the topics exist already; a new controller port is fine for a single static voter
    return start(options.withPort(port).withDataDir(dataDir).withCreateTopics(false));
  }

  /** Stops the broker and deletes its temporary directory; runs once, later calls do nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long begin = System.nanoTime();
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("the embedded Kafka broker at {} did not stop cleanly", bootstrapServers, e);
    } finally {
      if (deleteOnClose) {
        deleteQuietly(dataDir);
      }
    }
    LOG.info("Kafka broker at {} stopped in {} ms", bootstrapServers,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
  }

  private Admin newAdmin() {
    Properties props = settings().adminProperties();
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    return Admin.create(props);
  }

  private void awaitReady(long deadlineNanos) {
    try (Admin admin = newAdmin()) {
      Exception last = null;
      while (System.nanoTime() < deadlineNanos) {
        try {
          long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
          if (!admin.describeCluster().nodes().get(Math.min(leftMs, 5000), TimeUnit.MILLISECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          last = e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new KafkaSetupException("interrupted while waiting for the embedded Kafka broker", e);
        }
      }
      throw new KafkaSetupException("the embedded Kafka broker at " + bootstrapServers + " did not answer in time"
          + (last == null ? "" : ": " + last.getMessage()));
    }
  }

  private static void awaitLeaders(Admin admin, List<String> names, long deadlineNanos) {
    while (true) {
      try {
        Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
        boolean ready = topics.values().stream()
            .flatMap(t -> t.partitions().stream())
            .map(TopicPartitionInfo::leader)
            .allMatch(leader -> leader != null && !leader.isEmpty());
        if (ready) {
          return;
        }
      } catch (ExecutionException | TimeoutException e) {
        if (System.nanoTime() >= deadlineNanos) {
          throw new KafkaSetupException("the topics " + names + " got no partition leaders in time: " + e.getMessage(), e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaSetupException("interrupted while waiting for topic leaders", e);
      }
      if (System.nanoTime() >= deadlineNanos) {
        throw new KafkaSetupException("the topics " + names + " got no partition leaders in time");
      }
      // leadership is a metadata update away; poll again without spinning the CPU
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaSetupException("interrupted while waiting for topic leaders", e);
      }
    }
  }

  static Properties brokerConfig(Path dir, int port, int controllerPort, Map<String, String> overrides) throws IOException {
    Properties p = new Properties();
    // an existing log directory keeps its node id; a new one takes the controller port, unique on this
    // machine while the broker runs, so two brokers in one JVM do not clash on JMX names
    int nodeId = existingNodeId(dir).orElse(controllerPort);
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(nodeId));
    p.put("controller.quorum.voters", nodeId + "@" + HOST + ":" + controllerPort);
    p.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
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
    p.put("message.max.bytes", Integer.toString(MESSAGE_MAX_BYTES));
    p.put("replica.fetch.max.bytes", Integer.toString(MESSAGE_MAX_BYTES));
    // a small machine: few threads, a small dedupe buffer (the 128 MiB default is most of the heap use)
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("background.threads", "2");
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
    p.put("log.index.size.max.bytes", Integer.toString(1024 * 1024));
    p.putAll(overrides);
    return p;
  }

  private static java.util.OptionalInt existingNodeId(Path dir) throws IOException {
    Path meta = dir.resolve("meta.properties");
    if (!Files.exists(meta)) {
      return java.util.OptionalInt.empty();
    }
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(meta)) {
      props.load(reader);
    }
    String nodeId = props.getProperty("node.id");
    if (nodeId == null) {
      throw new KafkaSetupException(meta + " has no node.id: delete the data directory " + dir + " or choose another");
    }
    return java.util.OptionalInt.of(Integer.parseInt(nodeId.strip()));
  }

  /** Formats a new log directory for KRaft (what {@code kafka-storage.sh format} does); keeps an existing one. */
  private static void formatIfNeeded(Path dir, Properties config) throws IOException {
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
  private static KafkaRaftServer newServer(Properties config) {
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

  /** Fails fast, with a message to act on, when a port asked for is taken (before Kafka logs its stack traces). */
  private static int requireFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new KafkaSetupException("cannot start the embedded Kafka broker on port " + port + ": " + HOST + ":" + port
          + " is in use (another broker?); pick another --port or stop the other one");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    }
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException
          || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }

  private static long deadline(long beginNanos, Duration timeout) {
    return beginNanos + timeout.toNanos();
  }

  /** After a failed start: stops what did start and deletes a temporary directory (null: keep it). */
  private static void abandon(KafkaRaftServer server, Path temporaryDir) {
    if (server != null) {
      try {
        server.shutdown();
        server.awaitShutdown();
      } catch (RuntimeException e) {
        LOG.warn("a half-started Kafka broker did not stop cleanly", e);
      }
    }
    deleteQuietly(temporaryDir);
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    List<Path> failed = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          failed.add(p);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("cannot delete the Kafka log directory {}: {}", dir, e.toString());
      return;
    }
    if (!failed.isEmpty()) {
      LOG.warn("cannot delete {} files under the Kafka log directory {}, e.g. {}", failed.size(), dir, failed.get(0));
    }
  }
}
