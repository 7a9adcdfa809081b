package org.segstream.kafka;

import java.util.Map;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.VideoFrame;

/**
 * The value codecs of Segstream's three records for one component, in the value format its client properties name
 * ({@link ValueFormat#PROPERTY}, with the registry's settings beside it: {@link SchemaRegistrySettings}). One
 * registry client (and its cache) is shared by the three. Thread-safe.
 */
public final class RecordValues {
  /** Single-object writers and readers, no registry: what every component uses unless told otherwise. */
  public static final RecordValues SINGLE_OBJECT = new RecordValues(ValueFormat.SINGLE_OBJECT, null);

  private final ValueFormat format;
  private final SchemaRegistryClient registry;
  private final ValueCodec<VideoFrame> frames;
  private final ValueCodec<SegmentationResult> results;
  private final ValueCodec<DeadLetter> deadLetters;

  private RecordValues(ValueFormat format, SchemaRegistryClient registry) {
    this.format = format;
    this.registry = registry;
    this.frames = new ValueCodec<>(AvroSerdes.frameCodec(), format, registry);
    this.results = new ValueCodec<>(AvroSerdes.resultCodec(), format, registry);
    this.deadLetters = new ValueCodec<>(AvroSerdes.deadLetterCodec(), format, registry);
  }

  /** The codecs of a format with a registry (required for {@link ValueFormat#CONFLUENT}). */
  public static RecordValues of(ValueFormat format, SchemaRegistryClient registry) {
    return new RecordValues(format, registry);
  }

  /**
   * The codecs the client properties ask for.
   *
   * @throws org.segstream.config.InvalidSettingException for an unknown format, or confluent without a registry URL
   */
  public static RecordValues from(Map<?, ?> clientProperties) {
    ValueFormat format = SchemaRegistrySettings.formatOf(clientProperties);
    if (format == ValueFormat.SINGLE_OBJECT) {
      return SINGLE_OBJECT;
    }
    return new RecordValues(format, new SchemaRegistryClient(SchemaRegistrySettings.from(clientProperties)));
  }

  public ValueFormat format() {
    return format;
  }

  /** The registry's settings, described for logs; "none" for single-object. */
  public String describe() {
    return format.label() + (registry == null ? "" : " (" + registry.settings().describe() + ")");
  }

  public ValueCodec<VideoFrame> frames() {
    return frames;
  }

  public ValueCodec<SegmentationResult> results() {
    return results;
  }

  public ValueCodec<DeadLetter> deadLetters() {
    return deadLetters;
  }
}
