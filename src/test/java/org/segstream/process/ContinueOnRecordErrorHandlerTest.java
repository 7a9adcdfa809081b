package org.segstream.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.ProductionExceptionHandlerResponse;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;
import org.segstream.telemetry.PipelineMetrics;

class ContinueOnRecordErrorHandlerTest {
  private final List<String> counted = new ArrayList<>();
  private final ContinueOnRecordErrorHandler handler = new ContinueOnRecordErrorHandler();

  {
    PipelineMetrics metrics = new PipelineMetrics() {
      @Override
      public void productionError(String topic, String errorClass) {
        counted.add(topic + ":" + errorClass);
      }
    };
    handler.configure(Map.of(ContinueOnRecordErrorHandler.METRICS_CONFIG, metrics));
  }

  private static final ErrorHandlerContext CONTEXT = new ErrorHandlerContext() {
    @Override public String topic() { return "segstream.frames"; }
    @Override public int partition() { return 2; }
    @Override public long offset() { return 42; }
    @Override public Headers headers() { return new RecordHeaders(); }
    @Override public String processorNodeId() { return "masks-sink"; }
    @Override public TaskId taskId() { return new TaskId(0, 2); }
    @Override public long timestamp() { return 0; }
    @Override public byte[] sourceRawKey() { return null; }
    @Override public byte[] sourceRawValue() { return null; }
  };

  private static final ProducerRecord<byte[], byte[]> RECORD = new ProducerRecord<>("segstream.masks", new byte[3], new byte[10]);

  @Test
  void aRecordTheProducerRefusesIsSkippedAndCounted() {
    assertEquals(ProductionExceptionHandlerResponse.CONTINUE,
        handler.handle(CONTEXT, RECORD, new RecordTooLargeException("too large")));
    assertEquals(List.of("segstream.masks:RecordTooLargeException"), counted);
  }

  @Test
  void aRetriableErrorIsRetriedNotCounted() {
    assertEquals(ProductionExceptionHandlerResponse.RETRY,
        handler.handle(CONTEXT, RECORD, new NotEnoughReplicasException("one replica")));
    assertEquals(List.of(), counted);
  }

  @Test
  void aRecordThatCannotBeSerialisedIsSkippedAndCounted() {
    assertEquals(ProductionExceptionHandlerResponse.CONTINUE,
        handler.handleSerializationException(CONTEXT, RECORD, new SerializationException("bad"), SerializationExceptionOrigin.VALUE));
    assertEquals(List.of("segstream.masks:SerializationException"), counted);
  }
}
