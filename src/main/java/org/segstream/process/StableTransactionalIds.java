package org.segstream.process;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * Kafka Streams' clients, with one change: under exactly-once v2 each stream thread's producer is
 * named {@code <application.id>-<instance id>-<thread index>} instead of Streams' own
 * {@code <application.id>-<process id>-<thread index>}.
 *
 * <p>Why: Streams keeps its process id across restarts only when the topology has a persistent
 * (RocksDB) store; Segstream's batch buffer is an in-memory store with a changelog, so every start
 * draws a new random process id, hence a new transactional id. A restarted instance then cannot
 * fence the killed one: the killed instance's open transaction holds back every read_committed
 * reader of the result topic (and the buffer's changelog) until the broker aborts it after
 * {@code transaction.timeout.ms}, plus up to the broker's abort check interval (10 s by default).
 * With the instance's stable id, the restarted producer's {@code initTransactions} bumps the epoch
 * and the coordinator aborts the old transaction at once.
 */
final class StableTransactionalIds implements KafkaClientSupplier {
  private final String applicationId;
  private final String instanceId;

  StableTransactionalIds(String applicationId, String instanceId) {
    this.applicationId = applicationId;
    this.instanceId = instanceId;
  }

  /** {@code <application.id>-<process id>-<thread index>} with the process id replaced by the instance id. */
  String rename(String streamsTransactionalId) {
    String prefix = applicationId + "-";
    int lastDash = streamsTransactionalId.lastIndexOf('-');
    boolean expected = streamsTransactionalId.startsWith(prefix) && lastDash > prefix.length();
    if (expected) {
      String processId = streamsTransactionalId.substring(prefix.length(), lastDash);
      String thread = streamsTransactionalId.substring(lastDash + 1);
      if (isUuid(processId) && !thread.isEmpty() && thread.chars().allMatch(Character::isDigit)) {
        return prefix + instanceId + "-" + thread;
      }
    }
    throw new IllegalStateException("Kafka Streams named its transactional producer '" + streamsTransactionalId
        + "', not " + prefix + "<process id>-<thread index> as the Kafka Streams version Segstream was built with does:"
        + " the stable transactional ids of instance ids need updating for this Kafka Streams version");
  }

  private static boolean isUuid(String s) {
    try {
      return UUID.fromString(s).toString().equalsIgnoreCase(s);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public Admin getAdmin(Map<String, Object> config) {
    return Admin.create(config);
  }

  @Override
  public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
    Object transactionalId = config.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    Map<String, Object> renamed = new HashMap<>(config);
    if (transactionalId != null) {
      renamed.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, rename(transactionalId.toString()));
    }
    return new KafkaProducer<>(renamed, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Override
  public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
