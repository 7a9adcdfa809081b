package org.segstream.kafka;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The values of one record type on the wire, in the format a component writes, read in either format. The one
 * place that frames and unframes values: {@link AvroCodec} owns the single-object encoding and the bodies; this
 * adds Confluent's framing ({@code 00}, a 4-byte big-endian schema id, the body) with a {@link SchemaRegistryClient}.
 *
 * <p>Reading looks at each value's first byte: {@code 00} is Confluent-framed (its id resolved by the registry, the
 * body resolved from that writer schema to ours), {@code C3 01} single-object. A Confluent-framed value that is
 * truncated, names an id the registry does not have, or the id of another record type's schema is a
 * {@link RecordFormatException}, like any bad record; a registry that does not answer is
 * {@link SchemaRegistryClient.Unavailable}, which is not. Subjects follow Confluent's {@code TopicNameStrategy}:
 * {@code <topic>-value}. Thread-safe.
 */
public final class ValueCodec<T extends SpecificRecord> {
  /** Subjects are created with this compatibility level: a new schema must read the data of the previous one. */
  public static final String COMPATIBILITY = "BACKWARD";

  private final AvroCodec<T> codec;
  private final ValueFormat format;
  private final SchemaRegistryClient registry;
  /** The writer's schema id by subject (a component writes a few topics, so this stays small). */
  private final Map<String, Integer> writerIds = new ConcurrentHashMap<>();

  /**
   * @param registry the registry, or null: then only single-object values are written and read
   */
  ValueCodec(AvroCodec<T> codec, ValueFormat format, SchemaRegistryClient registry) {
    if (format == ValueFormat.CONFLUENT && registry == null) {
      throw new IllegalArgumentException("the confluent value format needs a schema registry");
    }
    this.codec = codec;
    this.format = format;
    this.registry = registry;
  }

  public ValueFormat format() {
    return format;
  }

  public AvroCodec<T> codec() {
    return codec;
  }

  /** {@code <topic>-value}. */
  public static String subject(String topic) {
    return topic + "-value";
  }

  /**
   * Makes sure values for {@code topic} can be written, before the first one is: with the Confluent format, the
   * writer's schema is looked up under the topic's subject and, when absent and auto-registration is on, checked
   * against the subject's latest version and registered ({@value #COMPATIBILITY} is set on a subject created here).
   * Single-object: nothing to do.
   *
   * @return the schema id values are written with, or empty for single-object
   * @throws IncompatibleSchemaException when the subject holds schemas ours cannot follow, or auto-registration is
   *     off and ours is not there
   */
  public Optional<Integer> prepareWriter(String topic) {
    if (format != ValueFormat.CONFLUENT) {
      return Optional.empty();
    }
    return Optional.of(writerIds.computeIfAbsent(subject(topic), this::resolveWriterId));
  }

  private int resolveWriterId(String subject) {
    Schema schema = codec.schema();
    Optional<Integer> known = registry.lookup(subject, schema);
    if (known.isPresent()) {
      return known.get();
    }
    String name = schema.getName();
    if (!registry.settings().autoRegister()) {
      throw new IncompatibleSchemaException("the schema registry at " + registry.where() + " does not hold this "
          + name + " schema under subject " + subject + ", and auto-registration is off: register schemas/"
          + name + ".avsc there (or turn --schema-registry-auto-register on)");
    }
    boolean exists = registry.exists(subject);
    if (exists && !registry.isCompatible(subject, schema)) {
      throw new IncompatibleSchemaException("the schema registry at " + registry.where() + " holds a schema under "
          + "subject " + subject + " that this " + name + " schema is not compatible with (level "
          + registry.compatibility(subject).orElse("global") + "): is another producer writing the topic? Write to "
          + "another topic, or delete the subject's incompatible versions if the topic's data no longer needs them");
    }
    int id = registry.register(subject, schema);
    if (!exists) {
      registry.setCompatibility(subject, COMPATIBILITY);
    }
    return id;
  }

  /** The value as the format frames it. */
  public byte[] encode(String topic, T record) {
    if (format == ValueFormat.SINGLE_OBJECT) {
      return codec.encode(record);
    }
    int id = prepareWriter(topic).orElseThrow();
    byte[] body = codec.encodeBody(record);
    return ByteBuffer.allocate(ValueFormat.CONFLUENT_HEADER_BYTES + body.length)
        .put(ValueFormat.CONFLUENT_MAGIC).putInt(id).put(body).array();
  }

  /**
   * A value in either format.
   *
   * @throws RecordFormatException when it is neither, truncated, of an unknown schema or another record type's
   * @throws SchemaRegistryClient.Unavailable when the registry does not answer
   */
  public T decode(byte[] value) {
    if (ValueFormat.detect(value) != ValueFormat.CONFLUENT) {
      return codec.decode(value);
    }
    String type = codec.type().getSimpleName();
    if (value.length < ValueFormat.CONFLUENT_HEADER_BYTES) {
      throw new RecordFormatException("truncated Confluent-framed " + type + ": " + AvroCodec.describeStart(value)
          + ", expected the magic byte 00 and a 4-byte schema id before the body");
    }
    int id = ByteBuffer.wrap(value, 1, 4).getInt();
    if (registry == null) {
      throw new RecordFormatException("a Confluent-framed " + type + " (schema id " + id + "), but this reader has no "
          + "schema registry: run it with --value-format confluent --schema-registry-url URL");
    }
    Schema writer;
    try {
      writer = registry.schemaById(id);
    } catch (SchemaRegistryClient.RegistryException e) {
      if (e.status() / 100 != 2 && e.status() != 404) {
        throw e; // refused (auth, say): a setting to fix, not a bad record
      }
      throw new RecordFormatException("a Confluent-framed " + type + " with schema id " + id + " that the schema "
          + "registry cannot give: " + e.getMessage(), e);
    }
    return codec.decodeBody(writer, value, ValueFormat.CONFLUENT_HEADER_BYTES, "schema id " + id);
  }

  /** A Kafka serde; {@code null} stays {@code null} (tombstones). The topic names the subject. */
  public Serde<T> serde() {
    Serializer<T> serializer = (topic, record) -> record == null ? null : encode(topic, record);
    Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null : decode(bytes);
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
