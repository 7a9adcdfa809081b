package org.segstream.process;

import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.segstream.kafka.RecordValues;
import org.segstream.kafka.ResultRecords;
import org.segstream.kafka.Topics;
import org.segstream.model.ModelMetadata;
import org.segstream.model.SegmentationModel;
import org.segstream.segment.FrameSegmenter;
import org.segstream.telemetry.PipelineMetrics;
import org.segstream.track.TrackerSettings;

/**
 * The processor's topology, a function of its settings and model: frames (read as bytes, so bad
 * records reach the processor and the dead-letter topic inside the transaction) → batching
 * segmenter → masks and dead letters.
 */
public final class SegmentationTopology {
  static final String SOURCE = "frames-source";
  static final String PROCESSOR = "segment-batches";
  static final String MASKS_SINK = "masks-sink";
  static final String DLQ_SINK = "dead-letter-sink";
  static final String BUFFER_STORE = "frame-batch-buffer";

  /** Frames can be 8 MiB; the buffer's changelog must accept them. */
  static final int BUFFER_MAX_MESSAGE_BYTES = 8 * 1024 * 1024 + 64 * 1024;

  static final String MAX_MESSAGE_BYTES = String.valueOf(BUFFER_MAX_MESSAGE_BYTES);

  private SegmentationTopology() {}

  public static Topology build(ProcessorSettings settings, SegmentationModel model) {
    return build(settings, model, PipelineMetrics.NONE);
  }

  /**
   * The topology, recording frames, batches and stage times into {@code metrics}; each batch is
   * segmented on the task's thread, its results forwarded before the next record is read.
   */
  public static Topology build(ProcessorSettings settings, SegmentationModel model, PipelineMetrics metrics) {
    return build(settings, model, metrics, RecordValues.SINGLE_OBJECT);
  }

  /**
   * The topology, writing results and dead letters in the value format of {@code values} (reading
   * frames in any); each batch is segmented on the task's thread.
   */
  public static Topology build(
      ProcessorSettings settings, SegmentationModel model, PipelineMetrics metrics, RecordValues values) {
    return build(settings, model, metrics, values, () -> new FrameSegmenter(model, settings));
  }

  /**
   * As above, with batches that overlap: model calls on {@code inference} while the frame workers
   * post-process the batch before; results are forwarded from the task's thread as batches finish.
   */
  static Topology build(ProcessorSettings settings, SegmentationModel model, PipelineMetrics metrics, RecordValues values,
      Executor inference) {
    return build(settings, model, metrics, values, () -> new FrameSegmenter(model, settings, inference));
  }

  private static Topology build(ProcessorSettings settings, SegmentationModel model, PipelineMetrics metrics,
      RecordValues values, Supplier<FrameSegmenter> segmenters) {
    ModelMetadata meta = model.metadata();
    ResultRecords results = new ResultRecords(meta.classNames(), meta.name(), meta.version());
    // objects are what is not the model's background, at least as large as a contour
    TrackerSettings tracking = settings.tracking()
        ? new TrackerSettings(meta.backgroundClass(), settings.contourMinArea(), TrackerSettings.DEFAULT_MAX_LOST_FRAMES,
            settings.maxStreams())
        : null;
    StoreBuilder<KeyValueStore<Long, byte[]>> buffer =
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(BUFFER_STORE), Serdes.Long(), Serdes.ByteArray())
            .withLoggingEnabled(Map.of("max.message.bytes", MAX_MESSAGE_BYTES));
    Topology topology = new Topology();
    topology.addSource(
        SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), Topics.FRAMES.name());
    topology.addProcessor(
        PROCESSOR,
        () ->
            new FrameBatchProcessor(
                settings,
                segmenters,
                values,
                results,
                metrics,
                tracking),
        SOURCE);
    topology.addStateStore(buffer, PROCESSOR);
    topology.addSink(
        MASKS_SINK,
        Topics.MASKS.name(),
        Serdes.String().serializer(),
        // results arrive encoded: the processor measures each against the record limit that way
        Serdes.ByteArray().serializer(),
        PROCESSOR);
    topology.addSink(
        DLQ_SINK,
        Topics.DLQ.name(),
        Serdes.ByteArray().serializer(),
        values.deadLetters().serde().serializer(),
        PROCESSOR);
    return topology;
  }
}
