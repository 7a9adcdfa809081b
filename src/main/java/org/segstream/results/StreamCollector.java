package org.segstream.results;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.SegmentationResult;
import org.segstream.kafka.KafkaSettings;

/**
 * The results of some streams, collected until each has sent its end-of-stream result, and their dead letters
 * (keyed by stream id): a {@link ResultsConsumer} from the topics' ends. Open it before the frames are published,
 * so it sees exactly the results that follow. A record that does not decode is skipped and counted.
 */
public final class StreamCollector implements AutoCloseable {
  /** After the last end of stream, dead letters of the last batches may still sit in the other topic. */
  private static final Duration DRAIN = Duration.ofSeconds(1);
  private static final Duration DRAIN_IDLE = Duration.ofMillis(100);

  private final ResultsConsumer consumer;
  private final Set<String> streamIds;
  private final List<DeadLetter> deadLetters = new ArrayList<>();

  private StreamCollector(ResultsConsumer consumer, Set<String> streamIds) {
    this.consumer = consumer;
    this.streamIds = Set.copyOf(streamIds);
  }

  /** Every partition of the masks and dead-letter topics, from their ends as they are now. */
  public static StreamCollector open(KafkaSettings settings, Set<String> streamIds) {
    return new StreamCollector(ResultsConsumer.fromNow(settings, "segstream-collector", true), streamIds);
  }

  /**
   * Collects results of the streams until every stream's end-of-stream result arrived (included in the list),
   * calling {@code onResult} for each.
   *
   * @throws TimeoutException when they do not all end within {@code timeout}
   */
  public List<SegmentationResult> collectUntilEndOfStream(Duration timeout, Consumer<SegmentationResult> onResult)
      throws TimeoutException {
    List<SegmentationResult> results = new ArrayList<>();
    Set<String> ended = new HashSet<>();
    ResultsConsumer.End end = consumer.read(new Collecting() {
      @Override
      public boolean result(SegmentationResult r) {
        if (streamIds.contains(r.getStreamId())) {
          results.add(r);
          onResult.accept(r);
          if (r.getEndOfStream()) {
            ended.add(r.getStreamId());
          }
        }
        return true;
      }

      @Override
      public boolean afterPoll() {
        return !ended.containsAll(streamIds);
      }
    }, Duration.ZERO, timeout);
    if (end != ResultsConsumer.End.HANDLER) {
      List<String> missing = streamIds.stream().filter(s -> !ended.contains(s)).sorted().toList();
      throw new TimeoutException("no end-of-stream result from " + missing + " within " + timeout.toSeconds() + " s ("
          + results.size() + " results so far" + (end == ResultsConsumer.End.STOPPED ? ", stopped" : "")
          + "): is the processor running?");
    }
    consumer.read(new Collecting(), DRAIN_IDLE, DRAIN);
    return results;
  }

  /** Dead letters of the streams, results ignored. */
  private class Collecting implements ResultsConsumer.Handler {
    @Override
    public boolean result(SegmentationResult result) {
      return true;
    }

    @Override
    public boolean deadLetter(DeadLetter letter, byte[] recordKey) {
      if (recordKey != null && streamIds.contains(new String(recordKey, StandardCharsets.UTF_8))) {
        deadLetters.add(letter);
      }
      return true;
    }
  }

  /** Dead letters of the streams seen so far (keyed by their stream id). */
  public List<DeadLetter> deadLetters() {
    return List.copyOf(deadLetters);
  }

  /** Records skipped so far: not what their topic carries. */
  public long skipped() {
    return consumer.skipped();
  }

  /** Ends a collection running on another thread: it throws a {@link TimeoutException} saying it was stopped. */
  public void stop() {
    consumer.stop();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
