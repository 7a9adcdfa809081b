package org.segstream.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The Streams settings the processor starts with, and the user's --kafka-config over them. */
class StreamsPropertiesTest {
  private static final String PRODUCER_RETRY_BACKOFF = StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG);

  @Test
  void aCommitTheBrokerIsNotReadyForIsRetriedSoonerThanKafkasDefault() {
    Properties common = new Properties();
    common.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
    Properties p = SegmentationService.streamsProperties(common, "app", Path.of("state"));

    StreamsConfig config = new StreamsConfig(p);
    assertEquals("10", String.valueOf(config.getProducerConfigs("client").get(ProducerConfig.RETRY_BACKOFF_MS_CONFIG)));
    assertEquals(StreamsConfig.EXACTLY_ONCE_V2, config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
  }

  @Test
  void theUsersKafkaConfigWins() {
    Properties common = new Properties();
    common.put(PRODUCER_RETRY_BACKOFF, "100");

    Properties p = SegmentationService.streamsProperties(common, "app", Path.of("state"));

    assertEquals("100", p.get(PRODUCER_RETRY_BACKOFF));
  }
}
