package org.segstream.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.segstream.config.Secrets;
import org.segstream.config.UsageException;

/**
 * How to reach a Kafka cluster: the bootstrap servers plus raw client properties (SASL, SSL...)
 * from {@code --kafka-config FILE}. Every {@code ...Properties()} call returns a fresh copy.
 *
 * <p>Precedence, highest first: what a method is asked for explicitly ({@code --bootstrap-servers},
 * group id, transactional id), then the file, then Segstream's client defaults (idempotence,
 * {@code acks=all}, request size).
 *
 * @param bootstrapServers the resolved {@code bootstrap.servers}
 * @param clientProperties the file's properties (without {@code bootstrap.servers})
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> clientProperties) {
  public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
  /** Room for the largest dead letter plus the request's own overhead. */
  public static final int MAX_REQUEST_BYTES = Topics.MAX_DEAD_LETTER_BYTES + 64 * 1024;

  public KafkaSettings {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new UsageException("no Kafka bootstrap servers: give --bootstrap-servers HOST:PORT");
    }
    clientProperties = Map.copyOf(clientProperties);
  }

  /** Plain settings for a cluster that needs no client properties (the embedded broker). */
  public static KafkaSettings of(String bootstrapServers) {
    return new KafkaSettings(bootstrapServers, Map.of());
  }

  /**
   * Resolves the settings of the command line.
   *
   * @param bootstrapServers {@code --bootstrap-servers}, or null when not given: then the file's
   *     {@code bootstrap.servers}, else {@value #DEFAULT_BOOTSTRAP_SERVERS}
   * @param kafkaConfig {@code --kafka-config FILE}, or null
   */
  public static KafkaSettings load(String bootstrapServers, Path kafkaConfig) {
    Map<String, String> file = kafkaConfig == null ? Map.of() : readFile(kafkaConfig);
    String servers = bootstrapServers;
    if (servers == null || servers.isBlank()) {
      servers = file.getOrDefault(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, DEFAULT_BOOTSTRAP_SERVERS);
    }
    Map<String, String> rest = new TreeMap<>(file);
    rest.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    return new KafkaSettings(servers.strip(), rest);
  }

  private static Map<String, String> readFile(Path path) {
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(path)) {
      props.load(reader);
    } catch (IOException e) {
      throw new UsageException("cannot read the --kafka-config file " + path + " (" + e
          + "): give a readable properties file of Kafka client settings");
    }
    Map<String, String> map = new TreeMap<>();
    props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k).strip()));
    return map;
  }

  /** The file's properties and {@code bootstrap.servers}: what every client needs. */
  public Properties common() {
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return props;
  }

  /** An idempotent producer with {@code acks=all} that can send the largest Segstream record. */
  public Properties producerProperties() {
    Properties props = new Properties();
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(MAX_REQUEST_BYTES));
    props.putAll(common());
    return props;
  }

  /** {@link #producerProperties()} with a {@code transactional.id} (exactly-once producers). */
  public Properties producerProperties(String transactionalId) {
    Properties props = producerProperties();
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return props;
  }

  /**
   * A consumer of the group that starts at the earliest offset when the group has none.
   *
   * @param readCommitted read only committed transactional records ({@code isolation.level})
   */
  public Properties consumerProperties(String groupId, boolean readCommitted) {
    Properties props = new Properties();
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.putAll(common());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
    return props;
  }

  public Properties adminProperties() {
    return common();
  }

  /** One line for logs and {@code --help} output; secrets masked. */
  public String describe() {
    StringJoiner line = new StringJoiner(", ");
    line.add(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG + "=" + Secrets.maskServers(bootstrapServers));
    new TreeMap<>(clientProperties).forEach((k, v) -> line.add(k + "=" + Secrets.maskSetting(k, v)));
    return line.toString();
  }

  @Override
  public String toString() {
    return "KafkaSettings[" + describe() + "]";
  }
}
