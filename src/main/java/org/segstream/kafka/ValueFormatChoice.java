package org.segstream.kafka;

/**
 * The value format a command was asked for, before it is applied to the cluster's settings
 * ({@link KafkaSettings#withValueFormat(ValueFormatChoice)}): commands that may start an embedded broker only know
 * the broker's settings later.
 *
 * @param registryUrl the Schema Registry, required for {@link ValueFormat#CONFLUENT}, else null
 * @param autoRegister register a writer's schema under its subject when missing
 */
public record ValueFormatChoice(ValueFormat format, String registryUrl, boolean autoRegister) {
  public static final ValueFormatChoice SINGLE_OBJECT = new ValueFormatChoice(ValueFormat.SINGLE_OBJECT, null, true);

  public ValueFormatChoice {
    if (format == null) {
      throw new IllegalArgumentException("a value format is required");
    }
  }

  /** Confluent framing with the registry at {@code url}, auto-registration on. */
  public static ValueFormatChoice confluent(String url) {
    return new ValueFormatChoice(ValueFormat.CONFLUENT, url, true);
  }
}
