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
import org.segstream.config.InvalidSettingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How to reach a Kafka cluster: the bootstrap servers plus raw client properties (SASL, SSL...)
 * from {@code --kafka-config FILE}. Every {@code ...Properties()} call returns a fresh copy.
 *
 * <p>Precedence, highest first: what a method is asked for explicitly ({@code --bootstrap-servers},
 * group id, transactional id), then the file, then Segstream's client defaults (idempotence,
 * {@code acks=all}, request size). The producer's idempotence follows what Kafka allows with the
 * file's settings: see {@link #idempotence()}.
 *
 * @param bootstrapServers the resolved {@code bootstrap.servers}
 * @param clientProperties the file's properties (without {@code bootstrap.servers})
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> clientProperties) {
  private static final Logger log = LoggerFactory.getLogger(KafkaSettings.class);
  public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
  /** Room for the largest dead letter plus the request's own overhead. */
  public static final int MAX_REQUEST_BYTES = Topics.MAX_DEAD_LETTER_BYTES + 64 * 1024;

  public KafkaSettings {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new InvalidSettingException("bootstrap-servers", "no Kafka bootstrap servers: give HOST:PORT");
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

  /**
   * These settings with the value format of the command line: {@link ValueFormat#PROPERTY} and, for
   * {@link ValueFormat#CONFLUENT}, the registry's URL and auto-registration (its auth and TLS settings come from the
   * file: {@link SchemaRegistrySettings}). Every component reads them with {@link #recordValues()}.
   *
   * @param registryUrl the registry, required for confluent
   */
  public KafkaSettings withValueFormat(ValueFormat format, String registryUrl, boolean autoRegister) {
    if (format == ValueFormat.SINGLE_OBJECT && !clientProperties.containsKey(ValueFormat.PROPERTY)) {
      return this; // the default: the client properties stay exactly as they were
    }
    Map<String, String> props = new TreeMap<>(clientProperties);
    props.put(ValueFormat.PROPERTY, format.label());
    if (format == ValueFormat.CONFLUENT) {
      props.put(SchemaRegistrySettings.URL, registryUrl == null ? "" : registryUrl.strip());
      props.put(SchemaRegistrySettings.AUTO_REGISTER, Boolean.toString(autoRegister));
      SchemaRegistrySettings.from(props); // a bad URL fails here, at start-up
    }
    return new KafkaSettings(bootstrapServers, props);
  }

  /** {@link #withValueFormat(ValueFormat, String, boolean)} of a command's choice. */
  public KafkaSettings withValueFormat(ValueFormatChoice choice) {
    return withValueFormat(choice.format(), choice.registryUrl(), choice.autoRegister());
  }

  /** The value codecs these settings ask for (single-object unless {@link #withValueFormat} said otherwise). */
  public RecordValues recordValues() {
    return RecordValues.from(clientProperties);
  }

  private static Map<String, String> readFile(Path path) {
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(path)) {
      props.load(reader);
    } catch (IOException e) {
      throw new InvalidSettingException("kafka-config", "cannot read the Kafka client settings file " + path + " (" + e
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

  /**
   * Whether Segstream's producers can be idempotent with the file's settings. Kafka allows an
   * idempotent producer only with {@code acks=all}, {@code max.in.flight.requests.per.connection}
   * at most 5 and {@code retries} above 0; with anything else it must be off, and the file may turn
   * it off itself ({@code enable.idempotence=false}).
   *
   * @param enabled the producer is idempotent: a retried send is written once and in order
   * @param reason when not enabled, the setting that turned it off (as {@code key=value})
   */
  public record Idempotence(boolean enabled, String reason) {
    static final Idempotence ON = new Idempotence(true, null);
  }

  /**
   * What {@link #producerProperties()} does about idempotence, from the file's settings.
   *
   * @throws InvalidSettingException when the file asks for idempotence ({@code enable.idempotence=true})
   *     together with a setting Kafka refuses it with
   */
  public Idempotence idempotence() {
    String conflict = null;
    String acks = clientProperties.get(ProducerConfig.ACKS_CONFIG);
    if (acks != null && !acks.equals("all") && !acks.equals("-1")) {
      conflict = ProducerConfig.ACKS_CONFIG + "=" + acks;
    }
    String inFlight = clientProperties.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
    if (conflict == null && inFlight != null && parsesAbove(inFlight, 5)) {
      conflict = ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION + "=" + inFlight;
    }
    String retries = clientProperties.get(ProducerConfig.RETRIES_CONFIG);
    if (conflict == null && retries != null && retries.strip().equals("0")) {
      conflict = ProducerConfig.RETRIES_CONFIG + "=0";
    }
    String asked = clientProperties.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
    if (asked != null && asked.equalsIgnoreCase("true") && conflict != null) {
      throw new InvalidSettingException("kafka-config", "the Kafka client settings file sets " + ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG + "=true and "
          + conflict + ", which Kafka refuses together: an idempotent producer needs acks=all, "
          + "max.in.flight.requests.per.connection <= 5 and retries > 0; remove one of the two settings");
    }
    if (asked != null && asked.equalsIgnoreCase("false")) {
      return new Idempotence(false, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG + "=false");
    }
    return conflict == null ? Idempotence.ON : new Idempotence(false, conflict);
  }

  private static boolean parsesAbove(String value, int limit) {
    try {
      return Integer.parseInt(value.strip()) > limit;
    } catch (NumberFormatException e) {
      return false; // Kafka itself names a malformed number when the producer is built
    }
  }

  /**
   * A producer that can send the largest Segstream record: idempotent with {@code acks=all} unless
   * the file's settings rule idempotence out ({@link #idempotence()}); then
   * {@code enable.idempotence=false} and a warning that retries may duplicate or reorder records.
   */
  public Properties producerProperties() {
    Idempotence idempotence = idempotence();
    Properties props = new Properties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(MAX_REQUEST_BYTES));
    props.putAll(common());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString(idempotence.enabled()));
    if (!idempotence.enabled()) {
      log.warn("{} from --kafka-config: the producer is not idempotent ({}=false), so a retried send may write a "
          + "frame twice or out of order{}", idempotence.reason(), ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          idempotence.reason().startsWith(ProducerConfig.ACKS_CONFIG + "=0")
              ? ", and with acks=0 a frame the broker never got is not noticed" : "");
    }
    return props;
  }

  /**
   * {@link #producerProperties()} with a {@code transactional.id} (exactly-once producers).
   *
   * @throws InvalidSettingException when the file's settings rule idempotence out: transactions need it
   */
  public Properties producerProperties(String transactionalId) {
    Idempotence idempotence = idempotence();
    if (!idempotence.enabled()) {
      throw new InvalidSettingException("kafka-config",
          "a transactional producer needs idempotence, but the Kafka client settings file sets "
          + idempotence.reason() + ": remove it (transactions need acks=all)");
    }
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
