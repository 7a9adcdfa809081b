package org.segstream.ingest;

import java.util.Locale;

/** Where a live source is in its life; every change is logged. */
public enum SourceState {
  CONNECTING,
  STREAMING,
  /** Connected, but no frame for the stall timeout. */
  STALLED,
  /** Waiting out the back-off before the next attempt. */
  RECONNECTING,
  /** Finished: the source ended (a recording), was stopped, or gave up. */
  ENDED;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
