package org.segstream.kafka;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Walks an Avro binary body against its writer's schema without allocating anything whose size
 * comes from the bytes: every string/bytes length, array/map block count (times the smallest
 * possible item), union branch, enum symbol and fixed size is checked against the bytes left, so
 * Avro's decoder, which allocates first and reads after, only ever sees bodies whose every
 * allocation fits in the record itself. Stateless apart from a per-schema cache of minimum sizes;
 * thread-safe once built (the cache is filled at construction).
 */
final class AvroBodyCheck {
  /** Deeper nesting than this is refused (a recursive schema could otherwise exhaust the stack). */
  static final int MAX_DEPTH = 64;

  private final Schema writer;
  /** Smallest encoded size of a value of each (sub)schema, in bytes. */
  private final Map<Schema, Integer> minSizes = new IdentityHashMap<>();

  AvroBodyCheck(Schema writer) {
    this.writer = writer;
    minSize(writer, 0);
  }

  /**
   * Checks the body {@code bytes[start..]}: it must hold exactly one value of the writer's schema.
   *
   * @throws RecordFormatException naming the field path and the sizes that do not fit
   */
  void check(byte[] bytes, int start) {
    Cursor c = new Cursor(bytes, start);
    walk(writer, c, writer.getName(), 0);
    if (c.pos != bytes.length) {
      throw new RecordFormatException(
          writer.getName() + " body ends at byte " + c.pos + " of " + bytes.length + ": " + (bytes.length - c.pos)
              + " trailing byte(s) after the record");
    }
  }

  private void walk(Schema s, Cursor c, String path, int depth) {
    if (depth > MAX_DEPTH) {
      throw new RecordFormatException(path + ": nested deeper than " + MAX_DEPTH + " levels");
    }
    switch (s.getType()) {
      case NULL -> {}
      case BOOLEAN -> c.skip(1, path, "a boolean");
      case INT -> c.readInt(path);
      case LONG -> c.readLong(path);
      case FLOAT -> c.skip(4, path, "a float");
      case DOUBLE -> c.skip(8, path, "a double");
      case STRING, BYTES -> {
        long length = c.readLong(path);
        if (length < 0) {
          throw new RecordFormatException(path + ": negative " + s.getType().getName() + " length " + length);
        }
        c.skip(length, path, (s.getType() == Schema.Type.STRING ? "a string" : "a bytes value") + " of " + length + " bytes");
      }
      case FIXED -> c.skip(s.getFixedSize(), path, "a fixed of " + s.getFixedSize() + " bytes");
      case ENUM -> {
        int index = c.readInt(path);
        if (index < 0 || index >= s.getEnumSymbols().size()) {
          throw new RecordFormatException(
              path + ": enum index " + index + " out of range, " + s.getFullName() + " has " + s.getEnumSymbols().size()
                  + " symbols");
        }
      }
      case UNION -> {
        int index = c.readInt(path);
        List<Schema> branches = s.getTypes();
        if (index < 0 || index >= branches.size()) {
          throw new RecordFormatException(
              path + ": union index " + index + " out of range, the union has " + branches.size() + " branches");
        }
        walk(branches.get(index), c, path, depth + 1);
      }
      case RECORD -> {
        for (Schema.Field f : s.getFields()) {
          walk(f.schema(), c, path + "." + f.name(), depth + 1);
        }
      }
      case ARRAY -> walkBlocks(c, path, depth, s.getElementType(), null);
      case MAP -> walkBlocks(c, path, depth, s.getValueType(), Schema.create(Schema.Type.STRING));
    }
  }

  /** Array and map blocks: a count (negative: followed by the block's byte size), items, until a count of 0. */
  private void walkBlocks(Cursor c, String path, int depth, Schema item, Schema key) {
    // an item of a zero-byte type (null, empty record) still counts one byte here, so no count exceeds the bytes left
    long itemMin = Math.max(1, minSizes.get(item) + (key == null ? 0 : 1));
    long index = 0;
    while (true) {
      long count = c.readLong(path);
      if (count == 0) {
        return;
      }
      if (count < 0) {
        if (count == Long.MIN_VALUE) {
          throw new RecordFormatException(path + ": block count " + count + " out of range");
        }
        count = -count;
        long blockBytes = c.readLong(path);
        if (blockBytes < 0 || blockBytes > c.left()) {
          throw new RecordFormatException(
              path + ": block of " + blockBytes + " bytes declared, " + c.left() + " bytes left");
        }
      }
      if (count > c.left() / itemMin) {
        throw new RecordFormatException(
            path + ": block of " + count + " items declared, at least " + itemMin + " byte(s) each, but only " + c.left()
                + " bytes left");
      }
      for (long i = 0; i < count; i++, index++) {
        String itemPath = path + "[" + index + "]";
        if (key != null) {
          walk(key, c, itemPath + "(key)", depth + 1);
        }
        walk(item, c, itemPath, depth + 1);
      }
    }
  }

  /** The smallest encoding of a value of {@code s}; a record being sized counts 0 for itself (recursion). */
  private int minSize(Schema s, int depth) {
    Integer known = minSizes.get(s);
    if (known != null) {
      return known;
    }
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("schema " + writer.getFullName() + " nests deeper than " + MAX_DEPTH + " levels");
    }
    int size =
        switch (s.getType()) {
          case NULL -> 0;
          case BOOLEAN, INT, LONG, STRING, BYTES, ENUM, ARRAY, MAP -> 1;
          case FLOAT -> 4;
          case DOUBLE -> 8;
          case FIXED -> s.getFixedSize();
          case UNION -> {
            int min = Integer.MAX_VALUE;
            for (Schema branch : s.getTypes()) {
              min = Math.min(min, minSize(branch, depth + 1));
            }
            yield 1 + (min == Integer.MAX_VALUE ? 0 : min);
          }
          case RECORD -> {
            minSizes.put(s, 0); // provisional, for recursive references
            long sum = 0;
            for (Schema.Field f : s.getFields()) {
              sum += minSize(f.schema(), depth + 1);
            }
            yield (int) Math.min(Integer.MAX_VALUE, sum);
          }
        };
    minSizes.put(s, size);
    // array and map items are sized too, for the block-count check
    if (s.getType() == Schema.Type.ARRAY) {
      minSize(s.getElementType(), depth + 1);
    } else if (s.getType() == Schema.Type.MAP) {
      minSize(s.getValueType(), depth + 1);
    }
    return size;
  }

  /** A read position in the body; every read is checked against the end first. */
  private static final class Cursor {
    final byte[] bytes;
    int pos;

    Cursor(byte[] bytes, int pos) {
      this.bytes = bytes;
      this.pos = pos;
    }

    long left() {
      return bytes.length - pos;
    }

    void skip(long n, String path, String what) {
      if (n > left()) {
        throw new RecordFormatException(path + ": " + what + " declared, " + left() + " bytes left");
      }
      pos += (int) n;
    }

    int readInt(String path) {
      long v = readVarint(path, 5);
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        throw new RecordFormatException(path + ": int value " + v + " out of range");
      }
      return (int) v;
    }

    long readLong(String path) {
      return readVarint(path, 10);
    }

    /** A zig-zag varint of at most {@code maxBytes} bytes. */
    private long readVarint(String path, int maxBytes) {
      long raw = 0;
      for (int i = 0; i < maxBytes; i++) {
        if (pos >= bytes.length) {
          throw new RecordFormatException(path + ": the body ends inside a number (byte " + pos + ")");
        }
        int b = bytes[pos++] & 0xff;
        raw |= (long) (b & 0x7f) << (7 * i);
        if ((b & 0x80) == 0) {
          return (raw >>> 1) ^ -(raw & 1);
        }
      }
      throw new RecordFormatException(path + ": a number longer than " + maxBytes + " bytes at byte " + (pos - maxBytes));
    }
  }
}
