package org.segstream.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import io.micrometer.core.instrument.Gauge;
import org.junit.jupiter.api.Test;
import org.segstream.kafka.ClientMetrics;
import org.segstream.testing.PrometheusText;

/**
 * Kafka clients' own metrics in the Prometheus registry, tagged with the component, until unbound. The clients
 * are real but never reach a broker: their metrics exist from construction.
 */
class KafkaClientMetersTest {
  private static Properties clientProperties() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "meters-test");
    return p;
  }

  @Test
  void aConsumersMetricsAppearTaggedWithTheComponentAndLeaveWhenUnbound() {
    try (PrometheusMetrics metrics = new PrometheusMetrics("process");
        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(clientProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      ClientMetrics.Binding binding = metrics.labelled("results").kafkaClients().bind(consumer);
      PrometheusText bound = PrometheusText.parse(metrics.scrape());
      assertTrue(bound.has("kafka_consumer_fetch_manager_records_lag_max"), "lag");
      assertTrue(bound.has("kafka_consumer_coordinator_commit_latency_avg"), "commit latency");
      assertTrue(bound.samples().stream().filter(s -> s.name().startsWith("kafka_"))
          .allMatch(s -> "results".equals(s.labels().get("component"))), "every Kafka meter tagged with the component");
      assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("segstream-kafka-metrics-results")));

      binding.close();
      binding.close(); // idempotent
      assertFalse(PrometheusText.parse(metrics.scrape()).has("kafka_consumer_fetch_manager_records_lag_max"), "unbound");
      assertFalse(metrics.scrape().contains("component=\"results\""));
    }
  }

  @Test
  void aProducersErrorCountAppears() {
    Properties p = clientProperties();
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000);
    try (PrometheusMetrics metrics = new PrometheusMetrics("ingest");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      try (ClientMetrics.Binding binding = metrics.kafkaClients().bind(producer)) {
        PrometheusText text = PrometheusText.parse(metrics.scrape());
        assertEquals(0, text.sum("kafka_producer_record_error_total", Map.of("component", "ingest")));
        assertTrue(text.has("kafka_producer_record_error_total"));
      }
      producer.close(Duration.ZERO);
    }
  }

  @Test
  void theUnderscoredCopiesOfOurTopicsAreDropped() {
    try (PrometheusMetrics metrics = new PrometheusMetrics("process")) {
      for (String topic : new String[] {"segstream.frames", "segstream_frames", "segstream_masks", "other_topic"}) {
        Gauge.builder("kafka.consumer.fetch.manager.records.lag", () -> 1).tag("topic", topic).register(metrics.registry());
      }
      PrometheusText text = PrometheusText.parse(metrics.scrape());
      assertEquals(1, text.sum("kafka_consumer_fetch_manager_records_lag", Map.of("topic", "segstream.frames")));
      assertEquals(1, text.sum("kafka_consumer_fetch_manager_records_lag", Map.of("topic", "other_topic")), "not ours: kept");
      assertEquals(2, text.sum("kafka_consumer_fetch_manager_records_lag", Map.of()));
    }
  }
}
