package org.segstream.kafka;

import java.util.Arrays;
import java.util.Locale;
import org.segstream.config.InvalidSettingException;

/**
 * How record values are framed on the wire. Writers use one; readers take either, told apart per record by its
 * first byte, so a topic can move from one to the other while it is being read.
 */
public enum ValueFormat {
  /** Avro single-object encoding: {@code C3 01}, the 8-byte schema fingerprint, the body. Needs no registry. */
  SINGLE_OBJECT("single-object"),
  /** Confluent's wire format: {@code 00}, the 4-byte big-endian schema id of a Schema Registry, the body. */
  CONFLUENT("confluent");

  /** The client property (beside the Kafka client's own) that carries the format to every component. */
  public static final String PROPERTY = "segstream.value.format";
  /** The first byte of a Confluent-framed value. */
  static final byte CONFLUENT_MAGIC = 0x00;
  /** Magic byte plus 4-byte schema id. */
  static final int CONFLUENT_HEADER_BYTES = 5;

  private final String label;

  ValueFormat(String label) {
    this.label = label;
  }

  /** The name a user writes: {@code single-object} or {@code confluent}. */
  public String label() {
    return label;
  }

  /**
   * The format of a name a user wrote.
   *
   * @throws InvalidSettingException naming the formats there are
   */
  public static ValueFormat parse(String name) {
    for (ValueFormat f : values()) {
      if (f.label.equals(name.strip().toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    throw new InvalidSettingException("value-format", "unknown value format '" + name + "': use one of "
        + Arrays.stream(values()).map(ValueFormat::label).toList());
  }

  /** The format a value's first bytes show, or null when they are neither (too short, another serializer's). */
  public static ValueFormat detect(byte[] value) {
    if (value == null || value.length == 0) {
      return null;
    }
    if (value[0] == CONFLUENT_MAGIC) {
      return CONFLUENT;
    }
    if (value.length >= 2 && value[0] == (byte) 0xC3 && value[1] == 0x01) {
      return SINGLE_OBJECT;
    }
    return null;
  }

  @Override
  public String toString() {
    return label;
  }
}
