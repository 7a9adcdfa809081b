package org.segstream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.config.UsageException;

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

    Properties producer = settings.producerProperties("tx-1");
    assertEquals("1", producer.getProperty("acks"), "the file tunes the producer");
    assertEquals("true", producer.getProperty("enable.idempotence"));
    assertEquals("tx-1", producer.getProperty("transactional.id"));
    assertEquals("flag-host:9092", producer.getProperty("bootstrap.servers"));
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
    UsageException e = assertThrows(UsageException.class, () -> KafkaSettings.load(null, missing));
    assertTrue(e.getMessage().contains("--kafka-config file " + missing), e.getMessage());
  }
}
