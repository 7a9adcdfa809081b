package org.segstream.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaParseException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro single-object encoding of one generated record class: {@code C3 01}, the 8-byte CRC-64-AVRO
 * fingerprint of the writer's schema (little-endian), then the Avro binary body.
 *
 * <p>Writes with the class's (newest) schema. Reads every schema version found under the schema
 * resource directories ({@code schemas/} in the jar, sub-directories included, e.g. {@code
 * schemas/history/VideoFrame-v1.avsc}): each self-contained {@code .avsc} whose record full name
 * equals the class's is registered, so bytes written by an older version resolve to the current
 * class (fields added later take their defaults). Immutable and thread-safe once built.
 */
public final class AvroCodec<T extends SpecificRecord> {
  /** Where the jar keeps every published schema version (the pom copies {@code schemas/} there). */
  public static final String SCHEMA_DIR = "schemas";

  private static final byte MAGIC_0 = (byte) 0xC3;
  private static final byte MAGIC_1 = (byte) 0x01;
  private static final int HEADER_BYTES = 10;

  static {
    trustGeneratedPackage();
  }

  private final Class<T> type;
  private final Schema schema;
  private final long fingerprint;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;
  /** fingerprint → where that schema version came from, for error messages. */
  private final Map<Long, String> knownVersions;
  /** fingerprint → a walk of bodies written with that version, run before Avro's decoder allocates. */
  private final Map<Long, AvroBodyCheck> bodyChecks;
  private final SpecificData model;
  private final SpecificDatumWriter<T> bodyWriter;
  /**
   * Writer schemas met in Confluent-framed records (fetched from the registry by id), by fingerprint: their body
   * check and datum reader. At most {@link #MAX_FOREIGN_WRITERS}; past that a writer is walked and read uncached.
   */
  private final Map<Long, BodyReader<T>> foreignWriters = new ConcurrentHashMap<>();

  static final int MAX_FOREIGN_WRITERS = 64;

  /** A writer schema's body check and a reader resolving it to this codec's schema. */
  private record BodyReader<T>(AvroBodyCheck check, SpecificDatumReader<T> reader) {}

  private AvroCodec(Class<T> type, List<String> schemaDirs, ClassLoader loader) {
    this.type = type;
    SpecificData model = SpecificData.getForClass(type);
    this.model = model;
    this.schema = model.getSchema(type);
    this.bodyWriter = new SpecificDatumWriter<>(schema, model);
    this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema);
    Map<Long, String> known = new LinkedHashMap<>();
    Map<Long, AvroBodyCheck> checks = new HashMap<>();
    for (String dir : schemaDirs) {
      for (SchemaResources.SchemaText text : SchemaResources.find(loader, dir)) {
        Schema version = parse(text);
        if (version.getType() == Schema.Type.RECORD && version.getFullName().equals(schema.getFullName())) {
          long versionFingerprint = SchemaNormalization.parsingFingerprint64(version);
          if (versionFingerprint != fingerprint) {
            decoder.addSchema(version);
          }
          known.putIfAbsent(versionFingerprint, text.location());
          checks.putIfAbsent(versionFingerprint, new AvroBodyCheck(version));
        }
      }
    }
    // the compiled schema is always readable, even when no resource holds it
    known.putIfAbsent(fingerprint, type.getName() + " (compiled)");
    checks.putIfAbsent(fingerprint, new AvroBodyCheck(schema));
    this.knownVersions = Collections.unmodifiableMap(known);
    this.bodyChecks = Map.copyOf(checks);
  }

  /** A codec for a generated class that reads every version of it under {@code schemas/}. */
  public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
    return of(type, List.of(SCHEMA_DIR));
  }

  /** A codec that also reads the versions under further class-path directories. */
  public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type, List<String> schemaDirs) {
    return new AvroCodec<>(type, List.copyOf(schemaDirs), type.getClassLoader());
  }

  public Class<T> type() {
    return type;
  }

  /** The schema this codec writes with (the generated class's). */
  public Schema schema() {
    return schema;
  }

  /** CRC-64-AVRO fingerprint of the writer schema's parsing canonical form, as in the header. */
  public long fingerprint() {
    return fingerprint;
  }

  /** Fingerprints of every schema version this codec can read, each with where it was found. */
  public Map<Long, String> knownVersions() {
    return knownVersions;
  }

  public byte[] encode(T record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try {
      encoder.encode(record, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes one single-object encoded record. The body is first walked against the writer's schema
   * (found by the header's fingerprint), so a length, count or index that the bytes cannot hold is
   * refused before Avro's decoder allocates for it: a 15-byte record claiming a 2 GB string is a
   * {@link RecordFormatException}, not an {@link OutOfMemoryError}.
   *
   * @throws RecordFormatException without the header, with an unknown fingerprint, or a corrupt body
   *     (naming the field and the sizes that do not fit)
   */
  public T decode(byte[] bytes) {
    if (bytes.length < HEADER_BYTES || bytes[0] != MAGIC_0 || bytes[1] != MAGIC_1) {
      throw new RecordFormatException(
          "not an Avro single-object encoded " + type.getSimpleName() + ": expected the header C3 01 and an 8-byte "
              + "schema fingerprint, got " + describeStart(bytes)
              + " (was it written by another producer or serializer?)");
    }
    long writerFingerprint = readFingerprint(bytes);
    if (!knownVersions.containsKey(writerFingerprint)) {
      throw new RecordFormatException(
          "unknown schema fingerprint " + hex(writerFingerprint) + " for " + schema.getFullName() + ": this reader knows "
              + describeKnown() + "; a newer writer's schema must be added under " + SCHEMA_DIR
              + "/history/ so readers can resolve it");
    }
    try {
      bodyChecks.get(writerFingerprint).check(bytes, HEADER_BYTES);
    } catch (RecordFormatException e) {
      throw new RecordFormatException(
          "corrupt " + type.getSimpleName() + " body (" + bytes.length + " bytes, schema " + hex(writerFingerprint)
              + "): " + e.getMessage(),
          e);
    }
    try {
      return decoder.decode(bytes);
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
      throw new RecordFormatException(
          "corrupt " + type.getSimpleName() + " body (" + bytes.length + " bytes, schema " + hex(writerFingerprint)
              + "): " + e,
          e);
    }
  }

  /** The record's Avro binary body alone, without any header (the Confluent framing adds its own). */
  public byte[] encodeBody(T record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try {
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      bodyWriter.write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes a bare Avro body {@code bytes[offset..]} written with {@code writer} (a schema of this record type,
   * e.g. one the registry holds for a Confluent-framed record's id), resolved to this codec's schema. The body is
   * walked against {@code writer} first, as in {@link #decode}, so a hostile length is refused before Avro
   * allocates for it.
   *
   * @param what how the record was framed, for messages (e.g. {@code "schema id 7"})
   * @throws RecordFormatException when the writer is not this record type, or the body is corrupt
   */
  public T decodeBody(Schema writer, byte[] bytes, int offset, String what) {
    if (writer.getType() != Schema.Type.RECORD || !writer.getFullName().equals(schema.getFullName())) {
      throw new RecordFormatException(
          "the writer schema of this record (" + what + ") is " + describeSchema(writer) + ", not " + schema.getFullName()
              + ": was it written to this topic by another producer, under another subject?");
    }
    long writerFingerprint = SchemaNormalization.parsingFingerprint64(writer);
    BodyReader<T> body = foreignWriters.get(writerFingerprint);
    if (body == null) {
      AvroBodyCheck check = bodyChecks.get(writerFingerprint);
      body = new BodyReader<>(check != null ? check : new AvroBodyCheck(writer), new SpecificDatumReader<>(writer, schema, model));
      if (foreignWriters.size() < MAX_FOREIGN_WRITERS) {
        foreignWriters.putIfAbsent(writerFingerprint, body);
      }
    }
    try {
      body.check().check(bytes, offset);
    } catch (RecordFormatException e) {
      throw new RecordFormatException(
          "corrupt " + type.getSimpleName() + " body (" + bytes.length + " bytes, " + what + "): " + e.getMessage(), e);
    }
    try {
      BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, offset, bytes.length - offset, null);
      return body.reader().read(null, decoder);
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
      throw new RecordFormatException(
          "corrupt " + type.getSimpleName() + " body (" + bytes.length + " bytes, " + what + "): " + e, e);
    }
  }

  private static String describeSchema(Schema s) {
    return s.getType() == Schema.Type.RECORD ? "the record " + s.getFullName() : "a schema of type " + s.getType().getName();
  }

  /** A Kafka serde of this codec; {@code null} stays {@code null} (tombstones). */
  public Serde<T> serde() {
    Serializer<T> serializer = (topic, record) -> record == null ? null : encode(record);
    Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null : decode(bytes);
    return Serdes.serdeFrom(serializer, deserializer);
  }

  /** The fingerprint as the header bytes show it: 8 bytes, little-endian, as hex. */
  public static String hex(long fingerprint) {
    byte[] le = new byte[8];
    for (int i = 0; i < 8; i++) {
      le[i] = (byte) (fingerprint >>> (8 * i));
    }
    return HexFormat.ofDelimiter(" ").formatHex(le).toUpperCase();
  }

  private static long readFingerprint(byte[] bytes) {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value |= (bytes[2 + i] & 0xFFL) << (8 * i);
    }
    return value;
  }

  static String describeStart(byte[] bytes) {
    if (bytes.length == 0) {
      return "nothing (0 bytes)";
    }
    byte[] start = Arrays.copyOf(bytes, Math.min(bytes.length, HEADER_BYTES));
    return HexFormat.ofDelimiter(" ").formatHex(start).toUpperCase()
        + (bytes.length > HEADER_BYTES ? " ..." : "") + " (" + bytes.length + " bytes)";
  }

  private String describeKnown() {
    List<String> parts = new ArrayList<>();
    knownVersions.forEach((fp, where) -> parts.add(hex(fp) + " from " + where));
    return parts.toString();
  }

  private static Schema parse(SchemaResources.SchemaText text) {
    try {
      return new Schema.Parser().parse(text.json());
    } catch (SchemaParseException e) {
      throw new IllegalStateException(
          "cannot parse the schema " + text.location() + ": every .avsc under " + SCHEMA_DIR
              + "/ must be a self-contained schema (" + e.getMessage() + ")",
          e);
    }
  }

  /**
   * Avro 1.12.2+ decodes generated classes only from trusted packages; append ours to the system
   * property before Avro's reader reads it (once, when its class loads). Avro 1.12.1 only checks
   * classes named by {@code java-class} properties, so there this is a no-op safety net.
   */
  private static void trustGeneratedPackage() {
    String key = "org.apache.avro.SERIALIZABLE_PACKAGES";
    String ours = "org.segstream.avro";
    String current = System.getProperty(key);
    if (current == null || current.isBlank()) {
      System.setProperty(key, ours);
    } else if (Arrays.stream(current.split(",")).map(String::strip).noneMatch(p -> p.equals(ours) || p.equals("*"))) {
      System.setProperty(key, current + "," + ours);
    }
  }
}
