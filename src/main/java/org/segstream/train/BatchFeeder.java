package org.segstream.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.segstream.dataset.Example;
import org.segstream.model.InputGeometry;

/**
 * Draws, augments and packs batches on a thread of its own, a few ahead of the training loop, so
 * the session rarely waits for data. The only caller of {@link TrainingData#next} while it runs.
 */
final class BatchFeeder implements AutoCloseable {
  private static final int AHEAD = 3;

  /** A batch, or the failure that stopped the feeder. */
  private sealed interface Item permits Ready, Failed {}

  private record Ready(Batch batch) implements Item {}

  private record Failed(RuntimeException error) implements Item {}

  private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(AHEAD);
  private final Thread thread;

  /** Feeds the batches of steps {@code firstStep} (from 0) up to {@code firstStep + batches}, each at its size. */
  BatchFeeder(TrainingData data, int batchSize, TrainGeometry geometry, long firstStep, long batches) {
    thread = new Thread(() -> feed(data, batchSize, geometry, firstStep, batches), "segstream-batch-feeder");
    thread.setDaemon(true);
    thread.start();
  }

  private void feed(TrainingData data, int batchSize, TrainGeometry geometry, long firstStep, long batches) {
    try {
      for (long i = 0; i < batches; i++) {
        InputGeometry.Size size = geometry.sizeOfStep(firstStep + i);
        List<Example> examples = new ArrayList<>(batchSize);
        for (int j = 0; j < batchSize; j++) {
          examples.add(data.next(size.width(), size.height()));
        }
        queue.put(new Ready(Batch.of(examples)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      try {
        queue.put(new Failed(e));
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The next batch, waiting for it if need be. */
  Batch take() {
    Item item;
    try {
      item = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for training data", e);
    }
    if (item instanceof Failed f) {
      throw new IllegalStateException("preparing training data failed: " + f.error().getMessage(), f.error());
    }
    return ((Ready) item).batch();
  }

  @Override
  public void close() {
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
