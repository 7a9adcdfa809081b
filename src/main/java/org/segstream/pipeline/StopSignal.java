package org.segstream.pipeline;

import java.util.function.BooleanSupplier;

/** A request to stop from outside the run (Ctrl-C), which a long run waits on beside its own end. */
public interface StopSignal {
  /** Returns when a stop was requested or {@code done} became true, whichever first. */
  void awaitStop(BooleanSupplier done) throws InterruptedException;

  /** Whether a stop was requested. */
  boolean stopRequested();
}
