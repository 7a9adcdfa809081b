package org.segstream.process;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A frame waiting in the changelogged batch buffer: the record's raw bytes plus where it came from,
 * so a failure at flush time can still be dead-lettered with its topic, partition and offset.
 */
record BufferedFrame(long arrivalWallMs, String topic, int partition, long offset, byte[] key, byte[] value) {
  private static final byte FORMAT = 1;

  byte[] toBytes() {
    byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
    int keyLength = key == null ? -1 : key.length;
    ByteBuffer buf =
        ByteBuffer.allocate(1 + 8 + 4 + 8 + 4 + topicBytes.length + 4 + Math.max(0, keyLength) + 4 + value.length);
    buf.put(FORMAT).putLong(arrivalWallMs).putInt(partition).putLong(offset);
    buf.putInt(topicBytes.length).put(topicBytes);
    buf.putInt(keyLength);
    if (key != null) {
      buf.put(key);
    }
    buf.putInt(value.length).put(value);
    return buf.array();
  }

  /**
   * Reads an entry back. Every length is checked against the bytes left before anything is allocated.
   *
   * @throws IllegalArgumentException when the entry is of another format version or not whole; the
   *     processor dead-letters such an entry rather than stopping on it
   */
  static BufferedFrame fromBytes(byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    if (bytes.length < 1 + 8 + 4 + 8 + 4) {
      throw new IllegalArgumentException("batch buffer entry of " + bytes.length + " bytes is shorter than its header");
    }
    byte format = buf.get();
    if (format != FORMAT) {
      throw new IllegalArgumentException(
          "batch buffer entry has format " + format + ", this version reads " + FORMAT + " (written by another Segstream version?)");
    }
    long arrival = buf.getLong();
    int partition = buf.getInt();
    long offset = buf.getLong();
    byte[] topicBytes = new byte[checkedLength(buf, buf.getInt(), "topic", false)];
    buf.get(topicBytes);
    if (buf.remaining() < 4) {
      throw new IllegalArgumentException("batch buffer entry of " + bytes.length + " bytes ends before its key");
    }
    int keyLength = checkedLength(buf, buf.getInt(), "key", true);
    byte[] key = null;
    if (keyLength >= 0) {
      key = new byte[keyLength];
      buf.get(key);
    }
    if (buf.remaining() < 4) {
      throw new IllegalArgumentException("batch buffer entry of " + bytes.length + " bytes ends before its value");
    }
    byte[] value = new byte[checkedLength(buf, buf.getInt(), "value", false)];
    buf.get(value);
    if (buf.hasRemaining()) {
      throw new IllegalArgumentException("batch buffer entry has " + buf.remaining() + " bytes after its value");
    }
    return new BufferedFrame(arrival, new String(topicBytes, StandardCharsets.UTF_8), partition, offset, key, value);
  }

  private static int checkedLength(ByteBuffer buf, int length, String what, boolean nullable) {
    if ((length < 0 && !(nullable && length == -1)) || length > buf.remaining()) {
      throw new IllegalArgumentException(
          "batch buffer entry declares a " + what + " of " + length + " bytes, " + buf.remaining() + " bytes left");
    }
    return length;
  }
}
