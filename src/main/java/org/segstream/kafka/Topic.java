package org.segstream.kafka;

import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A topic's name, partition count, serdes and topic-level configs, travelling together as one value.
 *
 * @param configs topic-level configs applied when the topic is created (e.g. {@code max.message.bytes})
 */
public record Topic<K, V>(String name, int partitions, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> configs) {

  public Topic {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a topic needs a name");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("topic " + name + " needs at least one partition, not " + partitions);
    }
    configs = Map.copyOf(configs);
  }

  public Topic(String name, int partitions, Serde<K> keySerde, Serde<V> valueSerde) {
    this(name, partitions, keySerde, valueSerde, Map.of());
  }

  /** The same topic seen as raw bytes (e.g. to parse inside a processor and dead-letter failures). */
  public Topic<byte[], byte[]> asBytes() {
    return new Topic<>(name, partitions, Serdes.ByteArray(), Serdes.ByteArray(), configs);
  }

  /** The same topic with another name (tests use fresh names per run). */
  public Topic<K, V> withName(String otherName) {
    return new Topic<>(otherName, partitions, keySerde, valueSerde, configs);
  }

  public NewTopic newTopic(short replication) {
    return new NewTopic(name, partitions, replication).configs(configs);
  }

  public Consumed<K, V> consumed() {
    return Consumed.with(keySerde, valueSerde);
  }

  public Produced<K, V> produced() {
    return Produced.with(keySerde, valueSerde);
  }
}
