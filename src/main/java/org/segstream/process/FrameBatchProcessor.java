package org.segstream.process;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.segstream.avro.Contour;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.DeadLetterStage;
import org.segstream.avro.ModelRef;
import org.segstream.avro.Polygon;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.Timings;
import org.segstream.avro.VideoFrame;
import org.segstream.process.FrameOutcome.Failed;
import org.segstream.process.FrameOutcome.Segmented;
import org.segstream.process.FrameSegmenter.EncodedFrame;
import org.segstream.refine.Polyline;
import org.segstream.telemetry.PipelineMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers frames in a changelogged store and segments them in batches: at {@code batchSize} frames,
 * at an end-of-stream record, or when the oldest has waited {@code batchMaxDelay} (wall-clock
 * punctuator). Results and dead letters are forwarded from here, inside the task's transaction, so
 * under exactly_once_v2 a crash between consuming and flushing neither loses nor repeats a frame.
 */
final class FrameBatchProcessor implements Processor<byte[], byte[], Object, Object> {
  private static final Logger log = LoggerFactory.getLogger(FrameBatchProcessor.class);

  private final ProcessorSettings settings;
  private final Supplier<FrameSegmenter> segmenters;
  private final Deserializer<VideoFrame> frameDeserializer;
  private final ModelRef modelRef;
  private final List<String> classNames;
  private final PipelineMetrics metrics;

  private ProcessorContext<Object, Object> context;
  private KeyValueStore<Long, byte[]> buffer;
  private FrameSegmenter segmenter;
  private long nextSlot;
  private int buffered;
  private long oldestArrivalMs = Long.MAX_VALUE;

  FrameBatchProcessor(
      ProcessorSettings settings,
      Supplier<FrameSegmenter> segmenters,
      Deserializer<VideoFrame> frameDeserializer,
      ModelRef modelRef,
      List<String> classNames,
      PipelineMetrics metrics) {
    this.settings = settings;
    this.segmenters = segmenters;
    this.frameDeserializer = frameDeserializer;
    this.modelRef = modelRef;
    this.classNames = List.copyOf(classNames);
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.buffer = context.getStateStore(SegmentationTopology.BUFFER_STORE);
    this.segmenter = segmenters.get();
    // frames restored from the changelog after a crash are still waiting: pick them up
    try (KeyValueIterator<Long, byte[]> it = buffer.all()) {
      while (it.hasNext()) {
        KeyValue<Long, byte[]> entry = it.next();
        nextSlot = Math.max(nextSlot, entry.key + 1);
        buffered++;
        oldestArrivalMs = Math.min(oldestArrivalMs, BufferedFrame.fromBytes(entry.value).arrivalWallMs());
      }
    }
    if (buffered > 0) {
      log.info("task {}: {} buffered frame(s) restored, flushing them first", context.taskId(), buffered);
    }
    long interval = Math.max(1, settings.batchMaxDelay().toMillis() / 2);
    context.schedule(Duration.ofMillis(interval), PunctuationType.WALL_CLOCK_TIME, this::flushExpired);
  }

  @Override
  public void process(org.apache.kafka.streams.processor.api.Record<byte[], byte[]> record) {
    RecordMetadata meta = context.recordMetadata().orElse(null);
    String topic = meta == null ? "" : meta.topic();
    BufferedFrame entry =
        new BufferedFrame(
            System.currentTimeMillis(),
            topic,
            meta == null ? -1 : meta.partition(),
            meta == null ? -1 : meta.offset(),
            record.key(),
            record.value() == null ? new byte[0] : record.value());
    VideoFrame frame;
    try {
      frame = frameDeserializer.deserialize(topic, entry.value());
      if (frame == null) {
        throw new IllegalArgumentException("empty record value (a tombstone), expected a VideoFrame");
      }
    } catch (RuntimeException e) {
      deadLetter(entry, DeadLetterStage.DESERIALIZE, e);
      return;
    }
    if (!frame.getEndOfStream()) {
      metrics.frameIn(frame.getStreamId());
    }
    buffer.put(nextSlot++, entry.toBytes());
    buffered++;
    oldestArrivalMs = Math.min(oldestArrivalMs, entry.arrivalWallMs());
    if (frame.getEndOfStream() || buffered >= settings.batchSize()) {
      flush();
    }
  }

  /** The wall-clock punctuator: flush when the oldest buffered frame has waited long enough. */
  void flushExpired(long nowMs) {
    if (buffered > 0 && nowMs - oldestArrivalMs >= settings.batchMaxDelay().toMillis()) {
      flush();
    }
  }

  private void flush() {
    long flushStart = System.currentTimeMillis();
    List<Long> slots = new ArrayList<>();
    List<BufferedFrame> entries = new ArrayList<>();
    try (KeyValueIterator<Long, byte[]> it = buffer.all()) {
      while (it.hasNext()) {
        KeyValue<Long, byte[]> kv = it.next();
        slots.add(kv.key);
        entries.add(BufferedFrame.fromBytes(kv.value));
      }
    }
    // frames deserialised on arrival; parse again rather than hold them in memory across a crash
    List<VideoFrame> frames = new ArrayList<>(entries.size());
    for (BufferedFrame e : entries) {
      frames.add(frameDeserializer.deserialize(e.topic(), e.value()));
    }
    for (int start = 0; start < frames.size(); start += settings.batchSize()) {
      int end = Math.min(frames.size(), start + settings.batchSize());
      List<Integer> imageIndexes = new ArrayList<>();
      List<EncodedFrame> images = new ArrayList<>();
      for (int i = start; i < end; i++) {
        VideoFrame f = frames.get(i);
        if (!f.getEndOfStream()) {
          imageIndexes.add(i);
          images.add(new EncodedFrame(f.getEncoding(), f.getWidth(), f.getHeight(), toArray(f.getData())));
        }
      }
      List<FrameOutcome> outcomes = images.isEmpty() ? List.of() : segmenter.segment(images);
      if (!images.isEmpty()) {
        metrics.batch(images.size());
      }
      int next = 0;
      for (int i = start; i < end; i++) {
        VideoFrame f = frames.get(i);
        BufferedFrame e = entries.get(i);
        if (f.getEndOfStream()) {
          forwardResult(f, endOfStream(f));
          continue;
        }
        FrameOutcome outcome = outcomes.get(next++);
        if (outcome instanceof Segmented s) {
          SegmentationResult r = result(f, s, flushStart - e.arrivalWallMs());
          forwardResult(f, r);
          Timings t = r.getTimings();
          metrics.stageTimes(t.getQueueWaitMs(), t.getDecodeMs(), t.getInferenceMs(), t.getRefineMs(), t.getEncodeMs());
          metrics.frameOut(f.getStreamId(), r.getResultWallTimeMs() - f.getCaptureWallTimeMs());
        } else if (outcome instanceof Failed failed) {
          deadLetter(e, failed.stage(), failed.error());
        }
      }
    }
    for (Long slot : slots) {
      buffer.delete(slot);
    }
    buffered = 0;
    oldestArrivalMs = Long.MAX_VALUE;
  }

  private void forwardResult(VideoFrame frame, SegmentationResult result) {
    context.forward(
        new org.apache.kafka.streams.processor.api.Record<Object, Object>(
            frame.getStreamId(), result, result.getResultWallTimeMs()),
        SegmentationTopology.MASKS_SINK);
  }

  private SegmentationResult result(VideoFrame f, Segmented s, long queueWaitMs) {
    List<Float> fractions = new ArrayList<>(s.classFractions().length);
    for (float v : s.classFractions()) {
      fractions.add(v);
    }
    List<Contour> contours = new ArrayList<>(s.contours().size());
    for (org.segstream.refine.Contour c : s.contours()) {
      List<Polygon> holes = new ArrayList<>(c.holes().size());
      for (Polyline h : c.holes()) {
        holes.add(polygon(h));
      }
      contours.add(new Contour(c.classIndex(), c.area(), polygon(c.outer()), holes));
    }
    FrameOutcome.StageTimings t = s.timings();
    return SegmentationResult.newBuilder()
        .setStreamId(f.getStreamId())
        .setSequence(f.getSequence())
        .setCaptureTimeUs(f.getCaptureTimeUs())
        .setCaptureWallTimeMs(f.getCaptureWallTimeMs())
        .setResultWallTimeMs(System.currentTimeMillis())
        .setWidth(s.labels().width())
        .setHeight(s.labels().height())
        .setClassNames(classNames)
        .setLabelMapPng(ByteBuffer.wrap(s.labelMapPng()))
        .setClassFractions(fractions)
        .setContours(contours)
        .setModel(modelRef)
        .setRefined(s.refined())
        .setBatchSize(s.batchSize())
        .setTimings(new Timings((float) queueWaitMs, t.decodeMs(), t.inferenceMs(), t.refineMs(), t.encodeMs()))
        .setEndOfStream(false)
        .build();
  }

  private SegmentationResult endOfStream(VideoFrame f) {
    return SegmentationResult.newBuilder()
        .setStreamId(f.getStreamId())
        .setSequence(f.getSequence())
        .setCaptureTimeUs(f.getCaptureTimeUs())
        .setCaptureWallTimeMs(f.getCaptureWallTimeMs())
        .setResultWallTimeMs(System.currentTimeMillis())
        .setWidth(f.getWidth())
        .setHeight(f.getHeight())
        .setClassNames(classNames)
        .setLabelMapPng(ByteBuffer.allocate(0))
        .setClassFractions(new ArrayList<>())
        .setContours(new ArrayList<>())
        .setModel(modelRef)
        .setRefined(false)
        .setBatchSize(0)
        .setTimings(new Timings(0f, 0f, 0f, 0f, 0f))
        .setEndOfStream(true)
        .build();
  }

  private void deadLetter(BufferedFrame e, DeadLetterStage stage, Exception error) {
    metrics.deadLettered(stage.name()); // by stage only: the key is untrusted bytes, no label
    log.warn(
        "dead-lettering {}-{}@{} at {}: {}", e.topic(), e.partition(), e.offset(), stage, error.getMessage());
    DeadLetter letter =
        DeadLetter.newBuilder()
            .setKey(e.key() == null ? null : ByteBuffer.wrap(e.key()))
            .setValue(ByteBuffer.wrap(e.value()))
            .setTopic(e.topic())
            .setPartition(e.partition())
            .setOffset(e.offset())
            .setStage(stage)
            .setErrorClass(error.getClass().getName())
            .setErrorMessage(String.valueOf(error.getMessage()))
            .setTimeMs(System.currentTimeMillis())
            .build();
    context.forward(
        new org.apache.kafka.streams.processor.api.Record<Object, Object>(e.key(), letter, System.currentTimeMillis()),
        SegmentationTopology.DLQ_SINK);
  }

  private static Polygon polygon(Polyline p) {
    List<Integer> xs = new ArrayList<>(p.xs().length);
    List<Integer> ys = new ArrayList<>(p.ys().length);
    for (int i = 0; i < p.xs().length; i++) {
      xs.add(p.xs()[i]);
      ys.add(p.ys()[i]);
    }
    return new Polygon(xs, ys);
  }

  private static byte[] toArray(ByteBuffer buf) {
    ByteBuffer dup = buf.duplicate();
    byte[] out = new byte[dup.remaining()];
    dup.get(out);
    return out;
  }
}
