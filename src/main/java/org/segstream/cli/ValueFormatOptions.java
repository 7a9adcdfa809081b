package org.segstream.cli;

import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.ValueFormat;
import org.segstream.kafka.ValueFormatChoice;
import picocli.CommandLine.Option;

/**
 * {@code --value-format}, {@code --schema-registry-url} and {@code --schema-registry-auto-register} of the
 * commands that write or read Segstream's topics ({@code ingest}, {@code process}, {@code run}, {@code tail},
 * {@code eval}, {@code demo}). The registry's basic auth and TLS settings go in the {@code --kafka-config} file
 * under Confluent's names ({@code basic.auth.user.info}, {@code schema.registry.ssl.truststore.location}...).
 */
final class ValueFormatOptions {
  @Option(
      names = "--value-format",
      paramLabel = "FORMAT",
      defaultValue = "single-object",
      description = {
        "How values are framed when written: single-object (Avro's C3 01 + fingerprint, default) or confluent",
        "(00 + a Schema Registry id, for registry-aware tools; needs --schema-registry-url). Readers take both."
      })
  String valueFormat;

  @Option(
      names = "--schema-registry-url",
      paramLabel = "URL",
      description = {
        "Confluent-compatible Schema Registry for --value-format confluent, e.g. http://registry:8081 or Apicurio's",
        "http://registry:8080/apis/ccompat/v7; basic.auth.user.info and schema.registry.ssl.* in --kafka-config."
      })
  String schemaRegistryUrl;

  @Option(
      names = "--schema-registry-auto-register",
      paramLabel = "true|false",
      defaultValue = "true",
      arity = "1",
      description = "Register a writer's schema under <topic>-value when missing (default ${DEFAULT-VALUE}); false: "
          + "it must be registered already.")
  boolean autoRegister;

  /** The settings with the value format applied ({@link #choice()}). */
  KafkaSettings applyTo(KafkaSettings settings) {
    return settings.withValueFormat(choice());
  }

  /**
   * What the flags ask for.
   *
   * @throws UsageException for confluent without a registry URL, or a registry URL without confluent
   */
  ValueFormatChoice choice() {
    ValueFormat format = format();
    boolean hasUrl = schemaRegistryUrl != null && !schemaRegistryUrl.isBlank();
    if (format == ValueFormat.CONFLUENT && !hasUrl) {
      throw new UsageException("--value-format confluent needs a schema registry: give --schema-registry-url URL");
    }
    if (format != ValueFormat.CONFLUENT && hasUrl) {
      throw new UsageException("--schema-registry-url is only used with --value-format confluent: add it, or drop the URL");
    }
    return new ValueFormatChoice(format, hasUrl ? schemaRegistryUrl.strip() : null, autoRegister);
  }

  ValueFormat format() {
    return ValueFormat.parse(valueFormat);
  }
}
