package org.segstream.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.apache.kafka.streams.StreamsConfig;
import org.segstream.kafka.KafkaSettings;
import picocli.CommandLine.Option;

/**
 * {@code --allow-at-least-once} of the commands that run the processor ({@code process}, {@code run}):
 * a {@code processing.guarantee} other than {@code exactly_once_v2} in {@code --kafka-config} is
 * refused unless this flag asks for it, so one line in a shared client file cannot switch
 * exactly-once off unnoticed.
 */
final class GuaranteeOption {
  static final String FLAG = "--allow-at-least-once";

  @Option(
      names = FLAG,
      description = {
        "Accept processing.guarantee=at_least_once from --kafka-config (default: refuse anything but exactly_once_v2).",
        "After a crash or a rebalance, frames may then be segmented and their results published twice."
      })
  boolean allowAtLeastOnce;

  /**
   * The guarantee the processor will run with: Segstream's {@code exactly_once_v2} unless the client
   * properties set another, which needs {@value #FLAG}; then one warning line on {@code err}.
   *
   * @param kafkaConfig the {@code --kafka-config} file the properties came from (for the message)
   * @throws UsageException for a weaker guarantee without the flag, or one Kafka Streams does not know
   */
  String check(KafkaSettings settings, Path kafkaConfig, PrintWriter err) {
    String guarantee = settings.clientProperties().get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
    if (guarantee == null || guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)) {
      return StreamsConfig.EXACTLY_ONCE_V2;
    }
    String where = StreamsConfig.PROCESSING_GUARANTEE_CONFIG + "=" + guarantee + " in --kafka-config "
        + (kafkaConfig == null ? "(client properties)" : kafkaConfig.toString());
    if (!guarantee.equals(StreamsConfig.AT_LEAST_ONCE)) {
      throw new UsageException(where + " is not a guarantee Kafka Streams knows: give " + StreamsConfig.EXACTLY_ONCE_V2
          + " (Segstream's default) or " + StreamsConfig.AT_LEAST_ONCE + " with " + FLAG);
    }
    if (!allowAtLeastOnce) {
      throw new UsageException(where + " would turn exactly-once off: remove it, or give " + FLAG
          + " to accept results repeated after a crash");
    }
    err.println("segstream: warning: " + where + " (allowed by " + FLAG + "): exactly-once is off, "
        + "after a crash or a rebalance frames may be segmented and published twice");
    err.flush();
    return guarantee;
  }
}
