package org.segstream.process;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.segstream.segment.FrameOutcome;

/**
 * The batches a task handed to the segmenter, oldest first, with the buffer slots of their frames:
 * each stream's results leave in this order, and a slot stays in the changelogged buffer until its batch is
 * released. Used from the task's thread only.
 *
 * @param <B> what the task keeps of a batch to forward its results
 */
final class BatchesInFlight<B> {

  /** One batch: what the task keeps of it, its frames' buffer slots, and their outcomes once done. */
  record Batch<B>(B frames, List<Long> slots, CompletableFuture<List<FrameOutcome>> outcomes, boolean usesModel,
      Set<String> streams) {}

  private final ArrayDeque<Batch<B>> queue = new ArrayDeque<>();
  private final Set<Long> slots = new HashSet<>();

  int size() {
    return queue.size();
  }

  /** Whether the frame in this buffer slot is in a batch in flight. */
  boolean holds(long slot) {
    return slots.contains(slot);
  }

  /**
   * @param usesModel whether some frame of it goes to the model (a batch of skipped frames and stream ends does not)
   * @param streams the streams its frames are of
   */
  void add(B frames, List<Long> frameSlots, CompletableFuture<List<FrameOutcome>> outcomes, boolean usesModel,
      Set<String> streams) {
    slots.addAll(frameSlots);
    queue.add(new Batch<>(frames, List.copyOf(frameSlots), outcomes, usesModel, Set.copyOf(streams)));
  }

  /** Batches with frames for the model that are not finished yet: what a new batch would wait behind. */
  int modelBatchesRunning() {
    return (int) queue.stream().filter(BatchesInFlight::inTheModel).count();
  }

  /** Waits until the oldest batch with frames for the model is finished (at once when none runs). */
  void awaitModelBatch() {
    queue.stream().filter(BatchesInFlight::inTheModel).findFirst()
        .ifPresent(b -> b.outcomes().exceptionally(e -> null).join());
  }

  private static boolean inTheModel(Batch<?> b) {
    return b.usesModel() && !b.outcomes().isDone();
  }

  /**
   * The oldest batch whose outcomes are done and none of whose streams has a frame in an older batch, else null:
   * each stream's results leave in order, and a batch of skipped frames need not wait for other streams' frames in
   * the model.
   */
  Batch<B> pollFinished() {
    Set<String> ahead = new HashSet<>();
    for (Iterator<Batch<B>> it = queue.iterator(); it.hasNext(); ) {
      Batch<B> b = it.next();
      if (b.outcomes().isDone() && Collections.disjoint(b.streams(), ahead)) {
        it.remove();
        return b;
      }
      ahead.addAll(b.streams());
    }
    return null;
  }

  /** Its frames' results are forwarded: their slots are no longer in flight. */
  void release(Batch<B> batch) {
    slots.removeAll(batch.slots());
  }

  /**
   * Waits up to {@code wait} for every batch to finish, then forgets them all without their results.
   *
   * @return false when some batch did not finish in time or failed
   */
  boolean forgetAll(Duration wait) throws InterruptedException {
    try {
      CompletableFuture.allOf(queue.stream().map(Batch::outcomes).toArray(CompletableFuture[]::new))
          .get(wait.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } finally {
      queue.clear();
      slots.clear();
    }
  }
}
