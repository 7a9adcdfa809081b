package org.segstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.segstream.image.RgbImage;

/** The hand-over queue: what each policy drops, what it counts, and which frame carries the discontinuity. */
class FrameQueueTest {
  private final SourceStats stats = new SourceStats("test://q");

  private static CapturedFrame frame(long pts) {
    return new CapturedFrame(new RgbImage(1, 1, new byte[3]), pts);
  }

  private static List<CapturedFrame> drain(FrameQueue q) throws InterruptedException {
    List<CapturedFrame> out = new ArrayList<>();
    CapturedFrame f;
    while ((f = q.poll(0, TimeUnit.MILLISECONDS)) != null) {
      out.add(f);
    }
    return out;
  }

  @Test
  void dropOldestKeepsTheNewestAndMarksTheFrameAfterTheGap() throws Exception {
    FrameQueue q = new FrameQueue(3, DropPolicy.OLDEST, stats);
    for (int i = 0; i < 6; i++) {
      assertTrue(q.put(frame(i)));
    }
    List<CapturedFrame> out = drain(q);
    assertEquals(List.of(3L, 4L, 5L), out.stream().map(CapturedFrame::captureTimeUs).toList());
    assertTrue(out.get(0).discontinuity(), "frames 0..2 are missing before frame 3");
    assertFalse(out.get(1).discontinuity());
    assertFalse(out.get(2).discontinuity());
    assertEquals(3, stats.snapshot().dropped().get(DropReason.QUEUE_FULL));
  }

  @Test
  void dropNewestKeepsTheQueuedAndMarksTheNextAcceptedFrame() throws Exception {
    FrameQueue q = new FrameQueue(3, DropPolicy.NEWEST, stats);
    for (int i = 0; i < 6; i++) {
      assertEquals(i < 3, q.put(frame(i)));
    }
    List<CapturedFrame> first = drain(q);
    assertEquals(List.of(0L, 1L, 2L), first.stream().map(CapturedFrame::captureTimeUs).toList());
    assertTrue(first.stream().noneMatch(CapturedFrame::discontinuity), "0, 1, 2 follow each other");
    q.put(frame(6));
    CapturedFrame next = q.poll(0, TimeUnit.MILLISECONDS);
    assertEquals(6, next.captureTimeUs());
    assertTrue(next.discontinuity(), "3..5 were dropped before 6");
    assertEquals(3, stats.snapshot().dropped().get(DropReason.QUEUE_FULL));
  }

  @Test
  void blockWaitsForRoomAndLosesNothing() throws Exception {
    FrameQueue q = new FrameQueue(2, DropPolicy.BLOCK, stats);
    CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
      try {
        for (int i = 0; i < 50; i++) {
          q.put(frame(i));
        }
        q.finish();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    List<Long> got = new ArrayList<>();
    CapturedFrame f;
    while ((f = q.poll(10, TimeUnit.SECONDS)) != null) {
      assertFalse(f.discontinuity());
      got.add(f.captureTimeUs());
    }
    producer.get(10, TimeUnit.SECONDS);
    assertEquals(50, got.size());
    for (int i = 0; i < 50; i++) {
      assertEquals(i, got.get(i));
    }
    assertEquals(0, stats.snapshot().droppedTotal());
    assertTrue(q.drained());
  }

  @Test
  void aReconnectGapMarksTheNextFrameAndFinishEndsAfterTheQueued() throws Exception {
    FrameQueue q = new FrameQueue(4, DropPolicy.OLDEST, stats);
    q.put(frame(0));
    q.gap();
    q.put(frame(1));
    q.finish();
    assertFalse(q.poll(0, TimeUnit.MILLISECONDS).discontinuity());
    assertTrue(q.poll(0, TimeUnit.MILLISECONDS).discontinuity());
    assertNull(q.poll(1, TimeUnit.SECONDS), "finished and drained: no waiting");
    assertTrue(q.drained());
  }
}
