package org.segstream.pipeline;

import org.segstream.kafka.ClientMetrics;
import org.segstream.telemetry.PipelineMetrics;

/**
 * The processor's metrics in {@code run}: nothing is recorded until {@link #open()}, so the warm-up stream's frames
 * ({@link PathWarmUp}) count in none of {@code /metrics}' figures. The Kafka clients' own metrics are bound at once.
 */
final class MetricsAfterWarmUp implements PipelineMetrics {
  private final PipelineMetrics target;
  private volatile boolean open;

  MetricsAfterWarmUp(PipelineMetrics target) {
    this.target = target;
  }

  /** From now on every record reaches the metrics. */
  void open() {
    open = true;
  }

  @Override
  public void framePublished(String streamId) {
    if (open) {
      target.framePublished(streamId);
    }
  }

  @Override
  public void frameDropped(String streamId, String reason) {
    if (open) {
      target.frameDropped(streamId, reason);
    }
  }

  @Override
  public void reconnected(String streamId) {
    if (open) {
      target.reconnected(streamId);
    }
  }

  @Override
  public void frameIn(String streamId) {
    if (open) {
      target.frameIn(streamId);
    }
  }

  @Override
  public void frameOut(String streamId, long captureToResultMs) {
    if (open) {
      target.frameOut(streamId, captureToResultMs);
    }
  }

  @Override
  public void deadLettered(String stage) {
    if (open) {
      target.deadLettered(stage);
    }
  }

  @Override
  public void productionError(String topic, String errorClass) {
    if (open) {
      target.productionError(topic, errorClass);
    }
  }

  @Override
  public void batch(int frames) {
    if (open) {
      target.batch(frames);
    }
  }

  @Override
  public void leftOut(String part) {
    if (open) {
      target.leftOut(part);
    }
  }

  @Override
  public void temporal(String outcome) {
    if (open) {
      target.temporal(outcome);
    }
  }

  @Override
  public void stageTimes(float queueWaitMs, float decodeMs, float inferenceMs, float refineMs, float encodeMs) {
    if (open) {
      target.stageTimes(queueWaitMs, decodeMs, inferenceMs, refineMs, encodeMs);
    }
  }

  @Override
  public ClientMetrics kafkaClients() {
    return target.kafkaClients();
  }
}
