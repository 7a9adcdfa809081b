package org.segstream.telemetry;

import org.apache.kafka.streams.KafkaStreams;

/**
 * Health of {@code process}: live while the model is loaded and Kafka Streams is not failing
 * (ERROR, PENDING_ERROR); ready only while Streams is RUNNING — a rebalance makes an instance
 * unready, not dead. Registered as the Streams state listener.
 */
public final class StreamsHealth implements Health, KafkaStreams.StateListener {
  private volatile boolean modelLoaded;
  private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;

  public void modelLoaded() {
    modelLoaded = true;
  }

  /** The current Streams state; CREATED until Streams reports one. */
  public KafkaStreams.State state() {
    return state;
  }

  @Override
  public void onChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
    state = newState;
  }

  @Override
  public Check live() {
    if (!modelLoaded) {
      return Check.down("the model is not loaded (yet)");
    }
    KafkaStreams.State s = state;
    if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.PENDING_ERROR) {
      return Check.down("Kafka Streams is " + s);
    }
    return Check.up("model loaded, Kafka Streams " + s);
  }

  @Override
  public Check ready() {
    KafkaStreams.State s = state;
    return s == KafkaStreams.State.RUNNING ? Check.up("Kafka Streams RUNNING") : Check.down("Kafka Streams " + s);
  }
}
