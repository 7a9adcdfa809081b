package org.segstream.eval;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.segstream.results.StreamCollector;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.SegmentationResult;
import org.segstream.ingest.FrameSource;
import org.segstream.ingest.IngestSettings;
import org.segstream.ingest.IngestSummary;
import org.segstream.ingest.Ingestor;
import org.segstream.ingest.Pacing;
import org.segstream.kafka.KafkaSetupException;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topics;
import org.segstream.model.SegmentationModel;
import org.segstream.process.ProcessorSettings;
import org.segstream.process.SegmentationService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replay through the real path: a Kafka Streams processor of its own (a fresh application id that
 * starts at the end of the frames topic, so it handles exactly this replay's frames), a collector on the
 * results, and the ingest of one source as one stream, until that stream's end-of-stream result arrives.
 * The broker is the caller's (embedded or a real cluster).
 *
 * <p>Before the replay, the source's first {@value #WARM_UP_FRAMES} frames go through the processor as a
 * stream of their own ({@code <stream>-warm-up}, results and all): a fresh processor's first transactions and
 * cold code hold up the first 1–1.5 s of frames by 0.2–0.65 s (BENCHMARKS.md), which is start-up, not what a
 * replay measures.
 */
public final class ReplayRun {
  private static final Logger log = LoggerFactory.getLogger(ReplayRun.class);
  /** Frames of the warm-up stream: enough for the processor's first commits and its code to warm. */
  static final int WARM_UP_FRAMES = 60;

  /** What came back from one replay. */
  public record Outcome(
      String streamId,
      String applicationId,
      IngestSummary ingest,
      List<SegmentationResult> results,
      List<DeadLetter> deadLetters,
      Duration wallTime) {

    /** The frame results (end-of-stream results left out). */
    public List<SegmentationResult> frameResults() {
      return results.stream().filter(r -> !r.getEndOfStream()).toList();
    }

    public boolean endOfStream() {
      return results.stream().anyMatch(SegmentationResult::getEndOfStream);
    }
  }

  private ReplayRun() {}

  /**
   * Creates the topics when missing, starts the processor, ingests {@code source} as {@code ingestOptions.streamId()}
   * and collects its results; stops the processor before returning.
   *
   * @param onResult called on the caller's thread for each result as it arrives (for progress)
   * @throws TimeoutException when the end-of-stream result does not arrive within {@code timeout}
   */
  public static Outcome run(
      KafkaSettings kafka,
      SegmentationModel model,
      ProcessorSettings settings,
      FrameSource source,
      IngestSettings ingestOptions,
      String applicationId,
      Duration timeout,
      Consumer<SegmentationResult> onResult)
      throws Exception {
    long started = System.nanoTime();
    try (Admin admin = Admin.create(kafka.adminProperties())) {
      Topics.ensureCreated(admin);
      startAtEndOfFrames(admin, applicationId);
    }
    try (SegmentationService service =
            SegmentationService.start(kafka.common(), applicationId, settings, model, Duration.ofSeconds(120))) {
      warmUp(kafka, source, ingestOptions, WARM_UP_FRAMES, timeout);
      return replay(kafka, service, source, ingestOptions, applicationId, timeout, onResult, started);
    }
  }

  /**
   * The source's first {@code frames} frames as a stream of their own ({@code <stream>-warm-up}), at full speed,
   * until their end-of-stream result is back from the processor running now.
   */
  public static void warmUp(KafkaSettings kafka, FrameSource source, IngestSettings ingestOptions, long frames,
      Duration timeout) throws Exception {
    long start = System.nanoTime();
    String id = ingestOptions.streamId() + "-warm-up";
    try (StreamCollector collector = StreamCollector.open(kafka, Set.of(id))) {
      IngestSummary warm = new Ingestor(kafka).ingest(source,
          ingestOptions.withStreamId(id).withPacing(Pacing.max()).withMaxFrames(frames));
      collector.collectUntilEndOfStream(timeout, r -> {});
      log.info("processor warmed up with {} frames of stream {} in {} ms", warm.framesPublished(), id,
          (System.nanoTime() - start) / 1_000_000);
    }
  }

  private static Outcome replay(KafkaSettings kafka, SegmentationService service, FrameSource source,
      IngestSettings ingestOptions, String applicationId, Duration timeout, Consumer<SegmentationResult> onResult,
      long started) throws Exception {
    String streamId = ingestOptions.streamId();
    try (StreamCollector collector = StreamCollector.open(kafka, Set.of(streamId))) {
      ExecutorService ingestThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "replay-ingest-" + streamId));
      try {
        Future<IngestSummary> ingestDone = ingestThread.submit(() -> new Ingestor(kafka).ingest(source, ingestOptions));
        List<SegmentationResult> results;
        try {
          results = collector.collectUntilEndOfStream(timeout, onResult);
        } catch (TimeoutException e) {
          // a failed ingest or processor is the better explanation than the timeout
          if (ingestDone.isDone()) {
            ingestDone.get();
          }
          if (service.isFailed()) {
            throw new IllegalStateException("the processor failed: " + service.failure(), service.failure());
          }
          throw e;
        }
        IngestSummary ingest = ingestDone.get(60, TimeUnit.SECONDS);
        return new Outcome(
            streamId, applicationId, ingest, List.copyOf(results), collector.deadLetters(), Duration.ofNanos(System.nanoTime() - started));
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      } finally {
        ingestThread.shutdownNow();
      }
    }
  }

  /**
   * Commits the frames topic's end offsets for the application's consumer group before it starts: a new
   * application id would otherwise read the topic from the beginning and spend the replay on old frames.
   */
  public static void startAtEndOfFrames(Admin admin, String applicationId) {
    try {
      var partitions = admin.describeTopics(List.of(Topics.FRAMES.name())).allTopicNames().get(30, TimeUnit.SECONDS)
          .get(Topics.FRAMES.name()).partitions();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (var p : partitions) {
        latest.put(new TopicPartition(Topics.FRAMES.name(), p.partition()), OffsetSpec.latest());
      }
      Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
      ends.forEach((tp, info) -> commit.put(tp, new OffsetAndMetadata(info.offset())));
      admin.alterConsumerGroupOffsets(applicationId, commit).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaSetupException(
          "cannot position the replay processor " + applicationId + " at the end of " + Topics.FRAMES.name() + ": "
              + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaSetupException("interrupted while positioning the replay processor", e);
    }
  }
}
