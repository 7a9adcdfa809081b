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

  static BufferedFrame fromBytes(byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    byte format = buf.get();
    if (format != FORMAT) {
      throw new IllegalStateException("batch buffer entry has format " + format + ", this version reads " + FORMAT);
    }
    long arrival = buf.getLong();
    int partition = buf.getInt();
    long offset = buf.getLong();
    byte[] topicBytes = new byte[buf.getInt()];
    buf.get(topicBytes);
    int keyLength = buf.getInt();
    byte[] key = null;
    if (keyLength >= 0) {
      key = new byte[keyLength];
      buf.get(key);
    }
    byte[] value = new byte[buf.getInt()];
    buf.get(value);
    return new BufferedFrame(arrival, new String(topicBytes, StandardCharsets.UTF_8), partition, offset, key, value);
  }
}
