package org.segstream.cli;

import java.nio.file.Path;
import org.segstream.kafka.KafkaSettings;
import picocli.CommandLine.Option;

/** Mixin of the commands that talk to a Kafka cluster: {@code @Mixin KafkaOptions kafka;}. */
public final class KafkaOptions {

  // no picocli default: an unset flag lets the file's bootstrap.servers win over the built-in default
  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,...]",
      description = "Kafka cluster to use (default: bootstrap.servers from --kafka-config, else "
          + KafkaSettings.DEFAULT_BOOTSTRAP_SERVERS + ").")
  String bootstrapServers;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description = "Properties file of raw Kafka client settings (SASL, SSL...); explicit flags override it.")
  Path kafkaConfig;

  public KafkaSettings settings() {
    return KafkaSettings.load(bootstrapServers, kafkaConfig);
  }
}
