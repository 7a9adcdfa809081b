package org.segstream.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.VideoFrame;
import org.segstream.image.EncodedImage;
import org.segstream.kafka.FrameRecords;
import org.segstream.kafka.RecordValues;
import org.segstream.kafka.ResultRecords;
import org.segstream.kafka.SchemaRegistryClient;
import org.segstream.kafka.Topics;
import org.segstream.kafka.ValueCodec;
import org.segstream.segment.FailureStage;
import org.segstream.segment.FrameOutcome;
import org.segstream.segment.FrameSegmenter;
import org.segstream.segment.LatencyBudget;
import org.segstream.segment.LeftOut;
import org.segstream.telemetry.PipelineMetrics;
import org.segstream.track.StreamTrackers;
import org.segstream.track.TrackerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Streams processor around the compute core: buffers frames in a changelogged store and segments them in
 * batches: at {@code batchSize} frames, at an end-of-stream record, when the model has no batch of this task
 * before it, or when the oldest has waited {@code batchMaxDelay} (wall-clock punctuator). Results and dead
 * letters are forwarded from the task's thread ({@link ResultForwarder}), inside the task's transaction, so
 * under exactly_once_v2 a crash between consuming and flushing neither loses nor repeats a frame. Records become
 * domain values and back through the Kafka package's mappings ({@link FrameRecords}, {@link ResultRecords},
 * {@link DeadLetterSink}); the core ({@link FrameSegmenter}) sees images only.
 *
 * <p>Every record gets an outcome and none stops the processor: a record that is not a valid frame
 * ({@link FrameRecords#toImage}), a buffer entry that no longer reads, a frame the core fails on, and a result
 * that does not fit the record limit even shrunk ({@link ResultFitter}) each become one dead letter,
 * itself cut to the record limit.
 */
final class FrameBatchProcessor implements Processor<byte[], byte[], Object, Object> {
  private static final Logger log = LoggerFactory.getLogger(FrameBatchProcessor.class);
  /**
   * One batch in the model while the one before is refined and encoded: more would only queue. Frames beyond
   * them wait in the buffer, where one that can no longer make its latency budget is skipped at once.
   */
  static final int MAX_IN_FLIGHT = 2;
  private static final Duration DRAIN_INTERVAL = Duration.ofMillis(2);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
  /** Slots count up from 0: this one holds no frame. */
  static final long NO_FRAME_SLOT = -1;

  private final ProcessorSettings settings;
  private final Supplier<FrameSegmenter> segmenters;
  private final ValueCodec<VideoFrame> frames;
  private final Function<SegmentationResult, byte[]> resultEncoder;
  private final ResultRecords results;
  private final PipelineMetrics metrics;
  private final TrackerSettings tracking;

  private ProcessorContext<Object, Object> context;
  private KeyValueStore<Long, byte[]> buffer;
  private DeadLetterSink deadLetters;
  /** This task's segmenter, with the streams' temporal states: in memory only, they start empty after a restart. */
  private FrameSegmenter segmenter;
  private ResultForwarder resultForwarder;
  private long nextSlot;
  private boolean firstTransactionOpened;
  private int buffered;
  private long oldestArrivalMs = Long.MAX_VALUE;
  /** The buffered frames parsed, by slot: parsed once on arrival (or on restore), dropped when forwarded. */
  private final Map<Long, PendingFrame> parsed = new HashMap<>();
  /** Batches submitted to the segmenter, oldest first: each stream's results are forwarded in this order. */
  private final BatchesInFlight<Submitted> inFlight = new BatchesInFlight<>();

  FrameBatchProcessor(
      ProcessorSettings settings,
      Supplier<FrameSegmenter> segmenters,
      RecordValues values,
      ResultRecords results,
      PipelineMetrics metrics,
      TrackerSettings tracking) {
    this.settings = settings;
    this.tracking = tracking;
    this.segmenters = segmenters;
    this.frames = values.frames();
    this.results = results;
    this.metrics = metrics;
    ValueCodec<SegmentationResult> resultValues = values.results();
    this.resultEncoder = r -> resultValues.encode(Topics.MASKS.name(), r);
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.buffer = context.getStateStore(SegmentationTopology.BUFFER_STORE);
    this.deadLetters = new DeadLetterSink(context, metrics, settings.maxRecordBytes());
    this.segmenter = segmenters.get();
    this.resultForwarder = new ResultForwarder(context, results, resultEncoder,
        new ResultFitter(settings.maxRecordBytes(), resultEncoder), settings.contourEpsilon(), metrics, deadLetters,
        tracking == null ? null : new StreamTrackers(tracking));
    // frames restored from the changelog after a crash are still waiting: pick them up
    try (KeyValueIterator<Long, byte[]> it = buffer.all()) {
      while (it.hasNext()) {
        KeyValue<Long, byte[]> entry = it.next();
        nextSlot = Math.max(nextSlot, entry.key + 1);
        buffered++;
        long arrival;
        try {
          arrival = BufferedFrame.fromBytes(entry.value).arrivalWallMs();
        } catch (IllegalArgumentException e) {
          arrival = System.currentTimeMillis(); // unreadable: the next flush dead-letters it
        }
        oldestArrivalMs = Math.min(oldestArrivalMs, arrival);
      }
    }
    if (buffered > 0) {
      log.info("task {}: {} buffered frame(s) restored, flushing them first", context.taskId(), buffered);
    }
    long interval = Math.max(1, settings.batchMaxDelay().toMillis() / 2);
    context.schedule(Duration.ofMillis(interval), PunctuationType.WALL_CLOCK_TIME, this::flushExpired);
    // finished batches are forwarded from the task's thread, which looks at least every poll (5 ms)
    context.schedule(DRAIN_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> {
      openFirstTransaction();
      forwardFinished();
      if (buffered > 0 && modelFree()) {
        flush();
      }
    });
  }

  /**
   * Writes a tombstone for a slot no frame takes, once, so the task's first transaction (the producer's first
   * partition, the coordinator, a cold broker) commits before the first frame instead of holding up its result.
   */
  private void openFirstTransaction() {
    if (!firstTransactionOpened) {
      firstTransactionOpened = true;
      buffer.delete(NO_FRAME_SLOT);
    }
  }

  @Override
  public void process(org.apache.kafka.streams.processor.api.Record<byte[], byte[]> record) {
    forwardFinished();
    RecordMetadata meta = context.recordMetadata().orElse(null);
    String topic = meta == null ? "" : meta.topic();
    BufferedFrame entry =
        new BufferedFrame(
            // the real clock, not Streams' (read once per processing batch of the task, it would date a frame
            // that arrives after a flush's model call too early, and overstate its queue wait)
            System.currentTimeMillis(),
            topic,
            meta == null ? -1 : meta.partition(),
            meta == null ? -1 : meta.offset(),
            record.key(),
            record.value() == null ? new byte[0] : record.value());
    if (record.value() == null) {
      deadLetters.frame(entry, FailureStage.DESERIALIZE,
          new IllegalArgumentException("empty record value (a tombstone), expected a VideoFrame"));
      return;
    }
    PendingFrame frame = map(entry, nextSlot);
    if (frame == null) {
      return; // dead-lettered
    }
    byte[] stored = entry.toBytes();
    // the buffer's changelog takes no larger record (a frames topic created elsewhere may allow one)
    if (stored.length + ResultFitter.RECORD_OVERHEAD_BYTES > SegmentationTopology.BUFFER_MAX_MESSAGE_BYTES) {
      deadLetters.frame(entry, FailureStage.DESERIALIZE, new RecordTooLargeException(
          "record of " + stored.length + " bytes (key and value) is over the batch buffer's limit of "
              + SegmentationTopology.BUFFER_MAX_MESSAGE_BYTES + " bytes"));
      return;
    }
    if (!frame.frame().getEndOfStream()) {
      metrics.frameIn(frame.frame().getStreamId());
    }
    parsed.put(nextSlot, frame);
    buffer.put(nextSlot++, stored);
    buffered++;
    oldestArrivalMs = Math.min(oldestArrivalMs, entry.arrivalWallMs());
    if (frame.frame().getEndOfStream() || buffered >= settings.batchSize() || modelFree()) {
      flush();
    }
  }

  /**
   * Whether a batch submitted now goes to the model at once (and no submit has to wait for a batch in flight):
   * then buffered frames are flushed without waiting for more. Batches grow while the model is busy, so one
   * camera's frames do not wait out the batch delay, and many cameras' frames still go in full batches.
   */
  private boolean modelFree() {
    return inFlight.modelBatchesRunning() < MAX_IN_FLIGHT && segmenter.modelFree();
  }

  /** The wall-clock punctuator: flush when the oldest buffered frame has waited long enough. */
  void flushExpired(long nowMs) {
    if (buffered > 0 && nowMs - oldestArrivalMs >= settings.batchMaxDelay().toMillis()) {
      flush();
    }
  }

  /** The record mapping: parse and check; on failure the record is dead-lettered and null returned. */
  private PendingFrame map(BufferedFrame entry, long slot) {
    VideoFrame frame;
    try {
      frame = frames.decode(entry.value());
    } catch (SchemaRegistryClient.Unavailable | SchemaRegistryClient.RegistryException e) {
      throw e; // the registry, not the record: stop (the frame is read again on restart) rather than dead-letter it
    } catch (RuntimeException e) {
      deadLetters.frame(entry, FailureStage.DESERIALIZE, e);
      return null;
    }
    try {
      return new PendingFrame(entry, slot, frame, FrameRecords.toImage(frame, settings.maxFramePixels()));
    } catch (FrameRecords.RejectedFrameException e) {
      deadLetters.frame(entry, e.stage(), e);
      return null;
    }
  }

  /**
   * Submits the buffered frames that are not in flight yet, in batches of at most batchSize frames
   * and, past one frame, at most maxFramePixels pixels in all (a batch's decoded frames are in memory
   * together), while fewer than {@link #MAX_IN_FLIGHT} batches are in the model. The rest wait in the buffer for
   * a later flush: the task's thread never waits for the model, so frames do not queue in Kafka behind it.
   */
  private void flush() {
    long flushStart = System.currentTimeMillis();
    List<PendingFrame> pending = new ArrayList<>();
    List<Long> deadLettered = new ArrayList<>();
    try (KeyValueIterator<Long, byte[]> it = buffer.all()) {
      while (it.hasNext()) {
        KeyValue<Long, byte[]> kv = it.next();
        if (inFlight.holds(kv.key)) {
          continue;
        }
        PendingFrame p = parsed.get(kv.key);
        if (p == null) {
          p = parse(kv.key, kv.value); // restored after a restart
          if (p == null) {
            deadLettered.add(kv.key);
            continue;
          }
          parsed.put(kv.key, p);
        }
        pending.add(p);
      }
    }
    deadLettered.forEach(buffer::delete);
    List<PendingFrame> waiting = pending;
    while (true) {
      int next = 0;
      while (next < waiting.size() && inFlight.modelBatchesRunning() < MAX_IN_FLIGHT) {
        List<PendingFrame> batch = new ArrayList<>();
        long pixels = 0;
        while (next < waiting.size() && batch.size() < settings.batchSize()) {
          long p = waiting.get(next).pixels();
          if (!batch.isEmpty() && pixels + p > settings.maxFramePixels()) {
            break;
          }
          batch.add(waiting.get(next++));
          pixels += p;
        }
        submit(batch, flushStart);
      }
      waiting = skipHopeless(waiting.subList(next, waiting.size()), flushStart);
      if (waiting.size() < settings.batchSize() * MAX_IN_FLIGHT) {
        break;
      }
      // a backlog the budget does not thin (no budget, or frames that can all still make it): wait for the model
      // here, so the frames wait in Kafka rather than in the buffer
      inFlight.awaitModelBatch();
      forwardFinished();
    }
    buffered = waiting.size();
    oldestArrivalMs = waiting.stream().mapToLong(p -> p.entry().arrivalWallMs()).min().orElse(Long.MAX_VALUE);
    forwardFinished(); // a segmenter without overlap finishes within submit
  }

  /** A buffer entry read back: null when it no longer reads or is not a frame (then it is dead-lettered). */
  private PendingFrame parse(long slot, byte[] stored) {
    BufferedFrame entry;
    try {
      entry = BufferedFrame.fromBytes(stored);
    } catch (IllegalArgumentException e) {
      deadLetters.unreadableBufferEntry(slot, stored, e);
      return null;
    }
    return map(entry, slot);
  }

  /**
   * Of the frames waiting for the model, skips those that could not make their latency budget even if they went to
   * it next, and ends of streams with nothing of their stream waiting before them: their results go out as soon as
   * the batches ahead of them have, instead of after the frames that wait. A stream's frames stay in order: once
   * one of its frames waits, the later ones wait with it. Returns the frames that still wait.
   */
  private List<PendingFrame> skipHopeless(List<PendingFrame> waiting, long flushStart) {
    LatencyBudget budget = segmenter.budget();
    if (waiting.isEmpty() || budget.isOff()) {
      return waiting;
    }
    long now = System.currentTimeMillis();
    int ahead = inFlight.modelBatchesRunning();
    Set<String> held = new HashSet<>();
    List<PendingFrame> goNow = new ArrayList<>();
    List<FrameOutcome> decided = new ArrayList<>();
    List<PendingFrame> still = new ArrayList<>();
    for (PendingFrame p : waiting) {
      String stream = p.frame().getStreamId();
      if (!held.contains(stream)) {
        if (p.image() == null) {
          goNow.add(p);
          continue;
        }
        LeftOut skip = budget.skip(budget.dueWallMs(p.frame().getCaptureWallTimeMs()), now, ahead);
        if (skip != null) {
          goNow.add(p);
          decided.add(new FrameOutcome.Skipped(skip));
          continue;
        }
      }
      held.add(stream);
      still.add(p);
    }
    if (!goNow.isEmpty()) {
      enqueue(goNow, decided, List.of(), new long[0], flushStart);
    }
    return still;
  }

  /**
   * Hands a batch to the segmenter. A frame that cannot make its latency budget even unrefined is skipped here,
   * before it costs anything: that is how the processor catches up when the model cannot keep up.
   */
  private void submit(List<PendingFrame> batch, long flushStart) {
    LatencyBudget budget = segmenter.budget();
    long now = System.currentTimeMillis();
    int ahead = inFlight.modelBatchesRunning();
    List<EncodedImage> images = new ArrayList<>();
    List<Long> due = new ArrayList<>();
    List<FrameOutcome> decided = new ArrayList<>();
    for (PendingFrame p : batch) {
      if (p.image() == null) {
        continue;
      }
      long dueMs = budget.dueWallMs(p.frame().getCaptureWallTimeMs());
      LeftOut skip = budget.skip(dueMs, now, ahead);
      decided.add(skip == null ? null : new FrameOutcome.Skipped(skip));
      if (skip == null) {
        images.add(p.image());
        due.add(dueMs);
      }
    }
    enqueue(batch, decided, images, due.stream().mapToLong(Long::longValue).toArray(), flushStart);
  }

  /**
   * Puts a batch in flight: its frames with images in {@code decided} order (null for a frame for the model, else
   * its outcome as decided), the images of those for the model and when they are due. Each frame goes with its
   * place in its stream for the segmenter's temporal step ({@link StreamPositions}: a stream's end or a skipped
   * frame's discontinuity resets the stream at that point).
   */
  private void enqueue(List<PendingFrame> batch, List<FrameOutcome> decided, List<EncodedImage> images, long[] due,
      long flushStart) {
    StreamPositions positions = new StreamPositions();
    int next = 0;
    for (PendingFrame p : batch) {
      VideoFrame f = p.frame();
      if (p.image() == null) {
        positions.ended(f.getStreamId());
      } else if (decided.get(next++) == null) {
        positions.submitted(f.getStreamId(), f.getSequence(), f.getDiscontinuity());
      } else {
        positions.notSubmitted(f.getStreamId(), f.getDiscontinuity());
      }
    }
    CompletableFuture<List<FrameOutcome>> outcomes = images.isEmpty() ? CompletableFuture.completedFuture(List.of())
        : segmenter.submit(images, due, positions.positions());
    positions.forgetAfterBatch().forEach(segmenter::forgetStream);
    inFlight.add(new Submitted(batch, flushStart), batch.stream().map(PendingFrame::slot).toList(),
        outcomes.thenApply(segmented -> merge(decided, segmented)), !images.isEmpty(),
        batch.stream().map(p -> p.frame().getStreamId()).collect(Collectors.toSet()));
  }

  /** The outcomes of a batch's frames in order: the skipped ones as decided, the others as segmented. */
  private static List<FrameOutcome> merge(List<FrameOutcome> decided, List<FrameOutcome> segmented) {
    List<FrameOutcome> all = new ArrayList<>(decided.size());
    int next = 0;
    for (FrameOutcome d : decided) {
      all.add(d != null ? d : segmented.get(next++));
    }
    return all;
  }

  /** Forwards the results of every finished batch with no frame of its streams in an older batch. */
  private void forwardFinished() {
    for (var done = inFlight.pollFinished(); done != null; done = inFlight.pollFinished()) {
      forward(done);
    }
  }

  /** What a batch in flight keeps to forward its results: its frames, and when it was flushed. */
  private record Submitted(List<PendingFrame> batch, long flushStart) {}

  /** Forwards a batch's results and dead letters (waiting for them if need be) and frees its slots. */
  private void forward(BatchesInFlight.Batch<Submitted> submitted) {
    List<FrameOutcome> outcomes = submitted.outcomes().join();
    resultForwarder.forward(submitted.frames().batch(), outcomes, submitted.frames().flushStart());
    submitted.slots().forEach(slot -> {
      buffer.delete(slot);
      parsed.remove(slot);
    });
    inFlight.release(submitted);
  }

  /**
   * Lets the batches in flight finish without forwarding them: their frames are still in the
   * changelogged buffer, so whoever gets this task next segments them again.
   */
  @Override
  public void close() {
    int batches = inFlight.size();
    if (batches == 0) {
      return;
    }
    try {
      if (!inFlight.forgetAll(CLOSE_WAIT)) {
        log.warn("task {}: batches in flight did not finish on close; their frames stay buffered", context.taskId());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("task {}: {} batch(es) in flight left buffered for the task's next owner", context.taskId(), batches);
  }
}
