package org.segstream.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Where the Kafka clients' own metrics go (consumer lag, commit latency, producer errors...): whoever makes a
 * client binds it here once it exists and closes the binding when it closes the client. {@link #NONE} publishes
 * nothing (no {@code --metrics-port}); the telemetry package's implementation puts them on {@code /metrics}, tagged
 * with the component that owns the client. Thread-safe; binding never throws for a metrics problem.
 */
public interface ClientMetrics {
  ClientMetrics NONE = new ClientMetrics() {};

  /** Unbinds: the client's meters leave the registry. Idempotent. */
  interface Binding extends AutoCloseable {
    Binding NONE = () -> {};

    @Override
    void close();
  }

  default Binding bind(Producer<?, ?> producer) {
    return Binding.NONE;
  }

  default Binding bind(Consumer<?, ?> consumer) {
    return Binding.NONE;
  }

  /** Every client of the application: its consumers, producers, admin and its own thread and task metrics. */
  default Binding bind(KafkaStreams streams) {
    return Binding.NONE;
  }
}
