package org.segstream.process;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The one thread the processor's model calls run on: one batch at a time in the session, with all
 * its intra-op threads, while the frame workers decode the next batch and refine the one before.
 * Owned by the service; closed after Kafka Streams.
 */
final class InferenceThread implements Executor, AutoCloseable {
  private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
    Thread t = new Thread(task, "segstream-inference");
    t.setDaemon(true);
    return t;
  });

  @Override
  public void execute(Runnable command) {
    thread.execute(command);
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      // a model call takes tens of milliseconds; Streams has stopped submitting by now
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
