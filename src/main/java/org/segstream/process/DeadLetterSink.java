package org.segstream.process;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.segstream.avro.DeadLetter;
import org.segstream.config.Secrets;
import org.segstream.kafka.DeadLetters;
import org.segstream.segment.FailureStage;
import org.segstream.telemetry.PipelineMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a task's rejected records go: one dead letter each, counted by stage, logged with secrets
 * masked, and cut to the record limit, forwarded inside the task's transaction.
 */
final class DeadLetterSink {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterSink.class);

  private final ProcessorContext<Object, Object> context;
  private final PipelineMetrics metrics;
  private final int maxRecordBytes;

  DeadLetterSink(ProcessorContext<Object, Object> context, PipelineMetrics metrics, int maxRecordBytes) {
    this.context = context;
    this.metrics = metrics;
    this.maxRecordBytes = maxRecordBytes;
  }

  /** A frame record that failed at {@code stage}. */
  void frame(BufferedFrame e, FailureStage stage, Exception error) {
    metrics.deadLettered(stage.name()); // by stage only: the key is untrusted bytes, no label
    String message = Secrets.maskText(String.valueOf(error.getMessage()));
    log.warn("dead-lettering {}-{}@{} at {}: {}", e.topic(), e.partition(), e.offset(), stage,
        DeadLetters.abbreviate(message, 500));
    send(e.key(), DeadLetters.of(
        e.key(), e.value(), e.topic(), e.partition(), e.offset(), stage, error.getClass().getName(), message));
  }

  /** A buffer entry that no longer reads (written by another version, say): its raw bytes. */
  void unreadableBufferEntry(long slot, byte[] raw, IllegalArgumentException error) {
    metrics.deadLettered(FailureStage.DESERIALIZE.name());
    log.warn("dead-lettering batch buffer entry {} of task {}: {}", slot, context.taskId(), error.getMessage());
    send(null, DeadLetters.of(null, raw, SegmentationTopology.BUFFER_STORE, context.taskId().partition(),
        slot, FailureStage.DESERIALIZE, error.getClass().getName(), "unreadable batch buffer entry: " + error.getMessage()));
  }

  /** Sends a dead letter cut to the record limit ({@link DeadLetters#fit}). */
  private void send(byte[] key, DeadLetter letter) {
    int budget = maxRecordBytes - ResultFitter.RECORD_OVERHEAD_BYTES;
    DeadLetters.Addressed fitted = DeadLetters.fit(key, letter, budget, maxRecordBytes);
    context.forward(new Record<Object, Object>(fitted.key(), fitted.letter(), System.currentTimeMillis()),
        SegmentationTopology.DLQ_SINK);
  }
}
