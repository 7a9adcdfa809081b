package org.segstream.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.segstream.pipeline.StopSignal;

/**
 * Ctrl-C (SIGINT/SIGTERM) for long-running commands: the JVM's shutdown hook asks the command to
 * stop and then waits (up to 30 s) until the command has closed its resources.
 */
final class ShutdownSignal implements StopSignal, AutoCloseable {
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread hook;

  ShutdownSignal(String name) {
    hook =
        new Thread(
            () -> {
              stopRequested.countDown();
              try {
                closed.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            name + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Returns when a stop was requested or {@code done} became true (checked every 200 ms). */
  @Override
  public void awaitStop(BooleanSupplier done) throws InterruptedException {
    while (!stopRequested.await(200, TimeUnit.MILLISECONDS)) {
      if (done.getAsBoolean()) {
        return;
      }
    }
  }

  @Override
  public boolean stopRequested() {
    return stopRequested.getCount() == 0;
  }

  @Override
  public void close() {
    closed.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is exiting through the hook, which now sees closed and returns
    }
  }
}
