package org.segstream.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
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
  static final String HOST = "127.0.0.1";
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
  public record Settings(int port, Path dataDir, boolean createTopics, Map<String, String> brokerConfig, Duration startTimeout) {
    public Settings {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, not " + port);
      }
      brokerConfig = Map.copyOf(brokerConfig);
    }

    /** A free port, a temporary directory, Segstream's topics, a 60 s deadline. */
    public static Settings defaults() {
      return new Settings(0, null, true, Map.of(), Duration.ofSeconds(60));
    }

    public Settings withPort(int newPort) {
      return new Settings(newPort, dataDir, createTopics, brokerConfig, startTimeout);
    }

    public Settings withDataDir(Path dir) {
      return new Settings(port, dir, createTopics, brokerConfig, startTimeout);
    }

    public Settings withCreateTopics(boolean create) {
      return new Settings(port, dataDir, create, brokerConfig, startTimeout);
    }

    public Settings withBrokerConfig(String key, String value) {
      Map<String, String> more = new HashMap<>(brokerConfig);
      more.put(key, value);
      return new Settings(port, dataDir, createTopics, more, startTimeout);
    }
  }

  private final KafkaRaftServer server;
  private final Settings options;
  private final String bootstrapServers;
  private final int port;
  private final Path dataDir;
  private final boolean deleteOnClose;
  private final Duration startupTime;
  private boolean closed;

  private EmbeddedBroker(
      KafkaRaftServer server, Settings options, int port, Path dataDir, boolean deleteOnClose, Duration startupTime) {
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
    return start(Settings.defaults());
  }

  public static EmbeddedBroker start(Settings options) {
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
        Properties config = KraftNode.config(dir, port, controllerPort, options.brokerConfig());
        KraftNode.formatIfNeeded(dir, config);
        server = KraftNode.newServer(config);
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
              + (options.port() != 0 ? " on port " + options.port() + " (is another broker using it? pick another port)" : "")
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
   * ({@link Settings#withDataDir}); a temporary one is deleted on close.
   */
  public EmbeddedBroker restart() {
    if (deleteOnClose) {
      throw new IllegalStateException("the broker at " + bootstrapServers + " has a temporary log directory, deleted when it"
          + " stops: start it with Settings.withDataDir(dir) to restart it");
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

  /** Fails fast, with a message to act on, when a port asked for is taken (before Kafka logs its stack traces). */
  private static int requireFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new KafkaSetupException("cannot start the embedded Kafka broker on port " + port + ": " + HOST + ":" + port
          + " is in use (another broker?); pick another port or stop the other one");
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
