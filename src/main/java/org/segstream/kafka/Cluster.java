package org.segstream.kafka;

import java.nio.file.Path;
import java.util.Optional;
import org.segstream.config.Secrets;

/**
 * The Kafka cluster a command talks to: the one the user named, or a single-node broker started in
 * this process and stopped on {@link #close}. Every command that runs on "embedded defaults" decides
 * here, the same way: embedded when neither bootstrap servers nor a client config file is given.
 */
public final class Cluster implements AutoCloseable {
  private final KafkaSettings settings;
  private final EmbeddedBroker broker;

  private Cluster(KafkaSettings settings, EmbeddedBroker broker) {
    this.settings = settings;
    this.broker = broker;
  }

  /** A cluster the user runs; closing it does nothing. */
  public static Cluster given(KafkaSettings settings) {
    return new Cluster(settings, null);
  }

  /** Starts a single-node broker with the default options (loopback, a free port, a temporary log directory). */
  public static Cluster embedded() {
    return embedded(EmbeddedBroker.Settings.defaults());
  }

  public static Cluster embedded(EmbeddedBroker.Settings options) {
    EmbeddedBroker broker = EmbeddedBroker.start(options);
    return new Cluster(broker.settings(), broker);
  }

  /**
   * The cluster of the command line: embedded when {@code bootstrapServers} and {@code kafkaConfig}
   * are both absent, else the one they describe.
   */
  public static Cluster givenOrEmbedded(String bootstrapServers, Path kafkaConfig) {
    return isEmbedded(bootstrapServers, kafkaConfig) ? embedded() : given(KafkaSettings.load(bootstrapServers, kafkaConfig));
  }

  /** {@link #givenOrEmbedded(String, Path)}, its settings in the value format the command was asked for. */
  public static Cluster givenOrEmbedded(String bootstrapServers, Path kafkaConfig, ValueFormatChoice valueFormat) {
    Cluster cluster = givenOrEmbedded(bootstrapServers, kafkaConfig);
    try {
      return new Cluster(cluster.settings.withValueFormat(valueFormat), cluster.broker);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** Whether {@link #givenOrEmbedded} would start a broker for these flags. */
  public static boolean isEmbedded(String bootstrapServers, Path kafkaConfig) {
    return bootstrapServers == null && kafkaConfig == null;
  }

  public KafkaSettings settings() {
    return settings;
  }

  public boolean isEmbedded() {
    return broker != null;
  }

  /** The broker started here, for the commands that restart it or print its address. */
  public Optional<EmbeddedBroker> broker() {
    return Optional.ofNullable(broker);
  }

  /** "embedded 127.0.0.1:PORT" or the given bootstrap servers, credentials masked. */
  public String describe() {
    return isEmbedded() ? "embedded " + settings.bootstrapServers() : Secrets.maskServers(settings.bootstrapServers());
  }

  @Override
  public void close() {
    if (broker != null) {
      broker.close();
    }
  }
}
