package org.segstream.kafka;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that are not a Segstream record this reader knows: no single-object header, an unknown
 * schema fingerprint, or a corrupt body. A {@link SerializationException}, so Kafka clients and
 * Kafka Streams treat it as a deserialisation failure.
 */
public final class RecordFormatException extends SerializationException {
  public RecordFormatException(String message) {
    super(message);
  }

  public RecordFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
