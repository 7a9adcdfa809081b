package org.segstream.process;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.segstream.telemetry.PipelineMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last line behind {@link ResultFitter} and the dead-letter size cut: a record that cannot be
 * serialised or sent is logged and counted ({@code segstream_production_errors_total}) and processing
 * continues, instead of Kafka Streams' default of failing the stream thread; a retriable send error is
 * retried from the last commit.
 *
 * <p>What Kafka 4.1 allows: a serialisation error happens before the producer sees the record, so
 * CONTINUE drops that one record and the transaction commits. A send error the producer raises (a
 * record over {@code max.request.size}, say) has already moved an exactly-once producer's transaction
 * into an abortable state: whatever this handler answers, the commit fails and the task's work since
 * the last commit is redone. That is why the processor keeps every record under the limit before it is
 * sent; under at-least-once, CONTINUE here does drop just the record. Kafka 4.1's handler cannot send a
 * dead letter itself (dead-letter records in the response came with Kafka 4.2), and a send on another
 * producer would be outside the transaction, so the dead letters come from the processor.
 */
public final class ContinueOnRecordErrorHandler implements ProductionExceptionHandler {
  /** The {@link PipelineMetrics} to count into, passed as an object in the Streams properties. */
  public static final String METRICS_CONFIG = "segstream.production.error.metrics";

  private static final Logger log = LoggerFactory.getLogger(ContinueOnRecordErrorHandler.class);

  private PipelineMetrics metrics = PipelineMetrics.NONE;

  @Override
  public void configure(Map<String, ?> configs) {
    if (configs.get(METRICS_CONFIG) instanceof PipelineMetrics m) {
      metrics = m;
    }
  }

  @Override
  public ProductionExceptionHandlerResponse handle(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    if (exception instanceof RetriableException) {
      log.warn("send to {} failed, retrying from the last commit: {}", record.topic(), exception.toString());
      return ProductionExceptionHandlerResponse.RETRY;
    }
    metrics.productionError(record.topic(), exception.getClass().getSimpleName());
    log.error(
        "cannot send a record of {} bytes to {} (from {}-{}@{}): {}; continuing without it (under exactly-once the "
            + "transaction aborts and the task's work since its last commit is redone)",
        size(record), record.topic(), context.topic(), context.partition(), context.offset(), exception.toString());
    return ProductionExceptionHandlerResponse.CONTINUE;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public ProductionExceptionHandlerResponse handleSerializationException(
      ErrorHandlerContext context, ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
    metrics.productionError(record.topic(), exception.getClass().getSimpleName());
    log.error(
        "cannot serialise the {} of a record for {} (from {}-{}@{}): {}; the record is dropped",
        origin.name().toLowerCase(java.util.Locale.ROOT), record.topic(), context.topic(), context.partition(),
        context.offset(), exception.toString());
    return ProductionExceptionHandlerResponse.CONTINUE;
  }

  private static long size(ProducerRecord<byte[], byte[]> record) {
    return (record.key() == null ? 0L : record.key().length) + (record.value() == null ? 0L : record.value().length);
  }
}
