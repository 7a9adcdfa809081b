package org.segstream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.config.InvalidSettingException;

class KafkaSettingsTest {
  @TempDir Path dir;

  private Path kafkaConfig() throws IOException {
    Path file = dir.resolve("client.properties");
    Files.writeString(file, String.join("\n",
        "bootstrap.servers=file-host:9093",
        "security.protocol=SASL_SSL",
        "sasl.mechanism=PLAIN",
        "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"hunter2\";",
        "ssl.truststore.password=changeit",
        "acks=1",
        "isolation.level=read_uncommitted",
        "group.id=from-file",
        ""));
    return file;
  }

  @Test
  void theFlagOverridesTheFilesBootstrapServers() throws IOException {
    KafkaSettings settings = KafkaSettings.load("flag-host:9092", kafkaConfig());
    assertEquals("flag-host:9092", settings.bootstrapServers());
    assertEquals("flag-host:9092", settings.common().getProperty("bootstrap.servers"));
    assertEquals("SASL_SSL", settings.common().getProperty("security.protocol"));
  }

  @Test
  void withoutTheFlagTheFileWinsOverTheBuiltInDefault() throws IOException {
    assertEquals("file-host:9093", KafkaSettings.load(null, kafkaConfig()).bootstrapServers());
    assertEquals(KafkaSettings.DEFAULT_BOOTSTRAP_SERVERS, KafkaSettings.load(null, null).bootstrapServers());
    assertEquals(KafkaSettings.DEFAULT_BOOTSTRAP_SERVERS, KafkaSettings.load(" ", null).bootstrapServers());
  }

  @Test
  void explicitArgumentsOverrideTheFileAndTheFileOverridesSegstreamDefaults() throws IOException {
    KafkaSettings settings = KafkaSettings.load("flag-host:9092", kafkaConfig());
    Properties consumer = settings.consumerProperties("segstream-tail", true);
    assertEquals("segstream-tail", consumer.getProperty("group.id"));
    assertEquals("read_committed", consumer.getProperty("isolation.level"));
    assertEquals("earliest", consumer.getProperty("auto.offset.reset"));
    assertEquals("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"hunter2\";",
        consumer.getProperty("sasl.jaas.config"));

    Properties producer = settings.producerProperties();
    assertEquals("1", producer.getProperty("acks"), "the file tunes the producer");
    assertEquals("false", producer.getProperty("enable.idempotence"), "Kafka allows idempotence only with acks=all");
    assertEquals("flag-host:9092", producer.getProperty("bootstrap.servers"));
  }

  /** The file's producer settings → whether the producer is idempotent and why not (what Kafka 4 accepts). */
  @ParameterizedTest(name = "{0} -> idempotent={1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "                                                    | true  | -",
        "acks=all                                            | true  | -",
        "acks=-1                                             | true  | -",
        "acks=1                                              | false | acks=1",
        "acks=0                                              | false | acks=0",
        "acks=all,max.in.flight.requests.per.connection=5    | true  | -",
        "acks=all,max.in.flight.requests.per.connection=6    | false | max.in.flight.requests.per.connection=6",
        "retries=0                                           | false | retries=0",
        "retries=3                                           | true  | -",
        "enable.idempotence=false                            | false | enable.idempotence=false",
        "enable.idempotence=true                             | true  | -",
        "enable.idempotence=false,acks=1                     | false | enable.idempotence=false",
      })
  void idempotenceFollowsWhatKafkaAllows(String file, boolean idempotent, String reason) {
    KafkaSettings settings = new KafkaSettings("127.0.0.1:1", properties(file));
    assertEquals(new KafkaSettings.Idempotence(idempotent, reason), settings.idempotence());
    Properties producer = settings.producerProperties();
    assertEquals(Boolean.toString(idempotent), producer.getProperty("enable.idempotence"));
    assertEquals(settings.clientProperties().getOrDefault("acks", "all"), producer.getProperty("acks"), "the file's acks is kept");
    // Kafka's own validation of the combination, as KafkaProducer runs it (no connection)
    producer.put("key.serializer", ByteArraySerializer.class.getName());
    producer.put("value.serializer", ByteArraySerializer.class.getName());
    assertEquals(idempotent, new ProducerConfig(producer).getBoolean("enable.idempotence"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"enable.idempotence=true,acks=1 | acks=1", "enable.idempotence=true,retries=0 | retries=0"})
  void askingForIdempotenceWithAConflictingSettingIsAUsageError(String file, String conflict) {
    KafkaSettings settings = new KafkaSettings("127.0.0.1:1", properties(file));
    InvalidSettingException e = assertThrows(InvalidSettingException.class, settings::producerProperties);
    assertTrue(e.getMessage().contains("enable.idempotence=true and " + conflict), e.getMessage());
  }

  @Test
  void aTransactionalProducerRefusesSettingsThatRuleIdempotenceOut() throws IOException {
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> KafkaSettings.load(null, kafkaConfig()).producerProperties("tx-1"));
    assertTrue(e.getMessage().contains("acks=1"), e.getMessage());
    Properties producer = KafkaSettings.of("127.0.0.1:1").producerProperties("tx-1");
    assertEquals("tx-1", producer.getProperty("transactional.id"));
    assertEquals("true", producer.getProperty("enable.idempotence"));
  }

  private static Map<String, String> properties(String commaSeparated) {
    Map<String, String> map = new TreeMap<>();
    if (commaSeparated != null && !commaSeparated.isBlank()) {
      for (String pair : commaSeparated.split(",")) {
        String[] kv = pair.split("=", 2);
        map.put(kv[0].strip(), kv[1].strip());
      }
    }
    return map;
  }

  @Test
  void producerDefaultsCanSendTheLargestRecord() {
    Properties producer = KafkaSettings.of("127.0.0.1:1").producerProperties();
    assertEquals("all", producer.getProperty("acks"));
    assertEquals("true", producer.getProperty("enable.idempotence"));
    assertTrue(Integer.parseInt(producer.getProperty("max.request.size")) > Topics.MAX_DEAD_LETTER_BYTES);
    assertNull(producer.getProperty("transactional.id"));
  }

  @Test
  void everyCallReturnsAFreshCopy() {
    KafkaSettings settings = KafkaSettings.of("127.0.0.1:1");
    settings.common().put("bootstrap.servers", "changed:1");
    assertEquals("127.0.0.1:1", settings.adminProperties().getProperty("bootstrap.servers"));
  }

  @Test
  void describeMasksSecrets() throws IOException {
    KafkaSettings settings = KafkaSettings.load("SASL_SSL://user:topsecret@broker:9094", kafkaConfig());
    String line = settings.describe();
    assertFalse(line.contains("hunter2"), line);
    assertFalse(line.contains("changeit"), line);
    assertFalse(line.contains("topsecret"), line);
    assertTrue(line.contains("sasl.jaas.config=***"), line);
    assertTrue(line.contains("ssl.truststore.password=***"), line);
    assertTrue(line.contains("security.protocol=SASL_SSL"), line);
    assertTrue(line.startsWith("bootstrap.servers=SASL_SSL://***@broker:9094"), line);
    assertEquals("KafkaSettings[" + line + "]", settings.toString());
  }

  @Test
  void anUnreadableFileIsAUsageError() {
    Path missing = dir.resolve("missing.properties");
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> KafkaSettings.load(null, missing));
    assertTrue(e.getMessage().contains("Kafka client settings file " + missing), e.getMessage());
  }
}
