package org.segstream.ingest;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded hand-over between a source's grab thread and its publisher. When full it drops by its
 * {@link DropPolicy} (or blocks), counts what it dropped, and marks the frame that follows a drop as a
 * discontinuity. One producer, one consumer; {@link #finish} ends it after the queued frames.
 */
final class FrameQueue {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final ArrayDeque<CapturedFrame> frames;
  private final int capacity;
  private DropPolicy policy; // guarded by lock
  private final SourceStats stats;
  private boolean gapBeforeNext; // a dropped newest frame: the next accepted one follows a gap
  private boolean finished;

  FrameQueue(int capacity, DropPolicy policy, SourceStats stats) {
    this.capacity = capacity;
    this.frames = new ArrayDeque<>(capacity);
    this.policy = policy;
    this.stats = stats;
  }

  /**
   * Offers a grabbed frame; returns false when it was the one dropped (policy {@code newest}).
   *
   * @throws InterruptedException only for policy {@code block}, while waiting for room
   */
  boolean put(CapturedFrame frame) throws InterruptedException {
    lock.lock();
    try {
      if (frames.size() >= capacity) {
        switch (policy) {
          case OLDEST -> {
            frames.pollFirst();
            stats.dropped(DropReason.QUEUE_FULL, 1);
            CapturedFrame head = frames.pollFirst();
            if (head != null) {
              frames.addFirst(head.afterGap());
            } else {
              frame = frame.afterGap();
            }
          }
          case NEWEST -> {
            stats.dropped(DropReason.QUEUE_FULL, 1);
            gapBeforeNext = true;
            return false;
          }
          case BLOCK -> {
            while (frames.size() >= capacity && !finished) {
              notFull.await();
            }
          }
        }
      }
      if (gapBeforeNext) {
        frame = frame.afterGap();
        gapBeforeNext = false;
      }
      frames.addLast(frame);
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** From now on wait for room instead of dropping (the source turned out to be a recording). */
  void blockWhenFull() {
    lock.lock();
    try {
      policy = DropPolicy.BLOCK;
    } finally {
      lock.unlock();
    }
  }

  /** Marks that frames were lost before the next one put (a reconnect). */
  void gap() {
    lock.lock();
    try {
      gapBeforeNext = true;
    } finally {
      lock.unlock();
    }
  }

  /** The next frame; null once finished and drained, or when nothing came within the wait. */
  CapturedFrame poll(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lock();
    try {
      while (frames.isEmpty() && !finished) {
        if (nanos <= 0) {
          return null;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      CapturedFrame frame = frames.pollFirst();
      notFull.signal();
      return frame;
    } finally {
      lock.unlock();
    }
  }

  /** No more frames will come; the queued ones are still handed out. */
  void finish() {
    lock.lock();
    try {
      finished = true;
      notEmpty.signalAll();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  boolean drained() {
    lock.lock();
    try {
      return finished && frames.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return frames.size();
    } finally {
      lock.unlock();
    }
  }
}
