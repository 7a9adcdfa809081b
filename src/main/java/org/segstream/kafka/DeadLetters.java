package org.segstream.kafka;

import java.nio.ByteBuffer;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.DeadLetterStage;
import org.segstream.segment.FailureStage;

/**
 * {@link DeadLetter} records from domain values: a record that failed, where it came from, the stage it failed at
 * and why. A letter is cut to the record limit here, because under exactly-once a record the producer refuses
 * aborts the whole transaction.
 */
public final class DeadLetters {
  /** An error message is a sentence, not a payload. */
  public static final int MAX_ERROR_MESSAGE_CHARS = 4096;

  /** A letter ready to send, with the record key it goes out under (null when it had none or it did not fit). */
  public record Addressed(byte[] key, DeadLetter letter) {}

  private DeadLetters() {}

  /** The wire's name for a stage. */
  public static DeadLetterStage wire(FailureStage stage) {
    return switch (stage) {
      case DESERIALIZE -> DeadLetterStage.DESERIALIZE;
      case DECODE -> DeadLetterStage.DECODE;
      case INFERENCE -> DeadLetterStage.INFERENCE;
      case REFINE -> DeadLetterStage.REFINE;
      case ENCODE -> DeadLetterStage.ENCODE;
    };
  }

  /**
   * A letter for a failed record, stamped now; a message over {@link #MAX_ERROR_MESSAGE_CHARS} is abbreviated.
   *
   * @param key the record's key, or null
   * @param value the record's value as it arrived
   * @param message the failure's message, secrets already masked
   */
  public static DeadLetter of(
      byte[] key, byte[] value, String topic, int partition, long offset, FailureStage stage, String errorClass,
      String message) {
    return DeadLetter.newBuilder()
        .setKey(key == null ? null : ByteBuffer.wrap(key))
        .setValue(ByteBuffer.wrap(value))
        .setTopic(topic)
        .setPartition(partition)
        .setOffset(offset)
        .setStage(wire(stage))
        .setErrorClass(errorClass)
        .setErrorMessage(abbreviate(message, MAX_ERROR_MESSAGE_CHARS))
        .setTimeMs(System.currentTimeMillis())
        .build();
  }

  /** {@code s} cut to {@code max} characters, saying how long it was. */
  public static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "... (" + s.length() + " chars)";
  }

  /**
   * The letter as it fits {@code budget} bytes with its record key: a letter for a record near the limit (a large
   * value, a large key, twice over since the letter carries the key too) has its value, then its key copy, then
   * its record key cut, and says so in its message.
   *
   * @param key the record key it goes out under, or null
   * @param maxRecordBytes the limit the budget was derived from, for the note
   */
  public static Addressed fit(byte[] key, DeadLetter letter, int budget, int maxRecordBytes) {
    int keyBytes = key == null ? 0 : key.length;
    int size = AvroSerdes.deadLetterCodec().encode(letter).length;
    if (size + keyBytes <= budget) {
      return new Addressed(key, letter);
    }
    int valueBytes = letter.getValue().remaining();
    int keyCopy = letter.getKey() == null ? 0 : letter.getKey().remaining();
    int fixed = size - valueBytes - keyCopy + 64; // varints and the note below
    int room = Math.max(0, budget - fixed - keyBytes);
    int keptValue = Math.min(valueBytes, room);
    int keptKeyCopy = Math.min(keyCopy, room - keptValue);
    if (fixed + keptValue + keptKeyCopy + keyBytes > budget) {
      key = null; // even without a value the record key does not fit
      room = Math.max(0, budget - fixed);
      keptValue = Math.min(valueBytes, room);
      keptKeyCopy = Math.min(keyCopy, room - keptValue);
    }
    DeadLetter cut =
        DeadLetter.newBuilder(letter)
            .setValue(slice(letter.getValue(), keptValue))
            .setKey(letter.getKey() == null ? null : slice(letter.getKey(), keptKeyCopy))
            .setErrorMessage(letter.getErrorMessage() + " [dead letter cut to the record limit of " + maxRecordBytes
                + " bytes: value " + keptValue + " of " + valueBytes + " bytes, key " + keptKeyCopy + " of " + keyCopy
                + " bytes" + (key == null && keyCopy > 0 ? ", record key dropped" : "") + "]")
            .build();
    return new Addressed(key, cut);
  }

  private static ByteBuffer slice(ByteBuffer buffer, int length) {
    ByteBuffer dup = buffer.duplicate();
    dup.limit(dup.position() + length);
    return dup.slice();
  }
}
