package org.segstream.view;

import java.util.concurrent.atomic.AtomicLong;

/** The bytes that frames waiting for their results may hold, across every stream of a view. */
final class PendingBudget {
  private final long maxBytes;
  private final AtomicLong used = new AtomicLong();

  PendingBudget(long maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("the budget must be positive, not " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** Takes {@code bytes} when they fit; false (and nothing taken) when they do not. */
  boolean take(long bytes) {
    while (true) {
      long now = used.get();
      if (now + bytes > maxBytes) {
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void give(long bytes) {
    used.addAndGet(-bytes);
  }

  long used() {
    return used.get();
  }
}
