package org.segstream.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.segstream.avro.FrameEncoding;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.VideoFrame;
import org.segstream.cli.TailResults;

/** A stream's join of frames with results: bounded by count, time, the byte budget and the view's frame rate. */
class LiveStreamTest {
  private static final long MS = 1_000_000L;

  @Test
  void aResultJoinsItsFrameAndFramesBeforeItAreGivenUp() {
    PendingBudget budget = new PendingBudget(1 << 20);
    LiveStream stream = new LiveStream("cam", budget, 0, 100, 0);
    stream.frame(frame("cam", 0, 1000), 0);
    stream.frame(frame("cam", 1, 1000), MS);
    stream.frame(frame("cam", 2, 1000), 2 * MS);
    stream.result(result("cam", 1), 3 * MS);
    assertEquals(1, stream.latest().frame().getSequence());
    assertEquals(1, stream.latest().version());
    assertEquals(1, stream.pendingFrames(), "frame 2 still waits");
    LiveStream.Figures f = stream.figures(3 * MS);
    assertEquals(1, f.givenUp(), "frame 0's result went by unseen");
    assertEquals(1, f.shownSequence());
    assertEquals(1256, budget.used(), "frame 2's bytes, and only those, are held");
  }

  @Test
  void aFrameWhoseResultDoesNotComeIsGivenUpAfterTheTimeout() {
    PendingBudget budget = new PendingBudget(1 << 20);
    LiveStream stream = new LiveStream("cam", budget, 0, 100, 0);
    stream.frame(frame("cam", 0, 1000), 0);
    stream.giveUpExpired(500 * MS, 1000 * MS);
    assertEquals(1, stream.pendingFrames());
    stream.giveUpExpired(1001 * MS, 1000 * MS);
    assertEquals(0, stream.pendingFrames());
    assertEquals(0, budget.used());
    stream.result(result("cam", 0), 1002 * MS);
    assertNull(stream.latest(), "too late: nothing to join");
  }

  @Test
  void waitingFramesAreCappedByCountByBudgetAndByTheViewsRate() {
    PendingBudget budget = new PendingBudget(10 * 1256);
    LiveStream crowded = new LiveStream("a", budget, 0, 100, 0);
    for (int i = 0; i < 30; i++) {
      crowded.frame(frame("a", i, 1000), i);
    }
    assertEquals(10, crowded.pendingFrames(), "the budget holds ten");
    assertEquals(10 * 1256, budget.used());
    crowded.release();
    assertEquals(0, budget.used());

    LiveStream many = new LiveStream("b", new PendingBudget(1 << 30), 0, 20, 0);
    for (int i = 0; i < 25; i++) {
      many.frame(frame("b", i, 10), i);
    }
    assertEquals(20, many.pendingFrames(), "the oldest go first past the count cap");
    assertEquals(5, many.figures(25).givenUp());

    LiveStream sampled = new LiveStream("c", new PendingBudget(1 << 20), 100 * MS, 100, 0);
    for (int i = 0; i < 10; i++) {
      sampled.frame(frame("c", i, 10), 0); // captured at 30 fps, arriving at once: 10 fps kept
    }
    assertEquals(3, sampled.pendingFrames(), "frames captured at 0, 133 and 267 ms");
    LiveStream slowed = new LiveStream("d", new PendingBudget(1 << 20), 100 * MS, 100, 0);
    for (int i = 0; i < 10; i++) {
      slowed.frame(frame("d", i, 10), i * 200 * MS); // captured at 30 fps, replayed at 5 fps: all kept
    }
    assertEquals(10, slowed.pendingFrames());
  }

  @Test
  void aResultReadBeforeItsFrameWaitsForIt() {
    LiveStream stream = new LiveStream("cam", new PendingBudget(1 << 20), 0, 100, 0);
    stream.frame(frame("cam", 0, 10), 0);
    stream.result(result("cam", 1), MS); // its frame is on another topic, not read yet
    stream.result(result("cam", 2), MS);
    assertNull(stream.latest());
    stream.frame(frame("cam", 1, 10), 2 * MS);
    assertEquals(1, stream.latest().frame().getSequence());
    assertEquals(1, stream.latest().result().getSequence());
    stream.frame(frame("cam", 2, 10), 3 * MS);
    assertEquals(2, stream.latest().result().getSequence());
    assertEquals(1, stream.pendingFrames(), "frame 0 still waits (until the timeout)");
  }

  @Test
  void framesPerSecondAndLatencyComeFromTheLatestResultsByTheProcessorsClock() {
    LiveStream stream = new LiveStream("cam", new PendingBudget(1 << 20), 0, 100, 0);
    for (int i = 0; i < 40; i++) {
      stream.frame(frame("cam", i, 10), 0);
      // all visible at once (one transaction), produced 100 ms apart, 40 ms after capture
      stream.result(TailResults.result("cam", i, 1000 + 100L * i, 40, TailResults.labels(0)), 5 * MS);
    }
    LiveStream.Figures f = stream.figures(6 * MS);
    assertEquals(10.0, f.framesPerSecond(), 1e-9);
    assertEquals(40.0, f.latencyMs(), 1e-9);
    assertEquals(0.0, stream.figures(5 * MS + LiveStream.IDLE_FIGURES_NANOS + 1).framesPerSecond(), "idle: 0 frames/s");
  }

  @Test
  void aRestartedSequenceDropsWhatWaitedForTheOldRun() {
    PendingBudget budget = new PendingBudget(1 << 20);
    LiveStream stream = new LiveStream("cam", budget, 0, 100, 0);
    stream.frame(frame("cam", 7, 10), 0);
    stream.frame(frame("cam", 0, 10), MS);
    stream.result(result("cam", 0), 2 * MS);
    assertEquals(0, stream.latest().frame().getSequence());
    assertEquals(0, budget.used());
  }

  @Test
  void theBoardFollowsAtMostItsCapOfStreamsAndAttributesDeadLetters() {
    StreamBoard board = new StreamBoard(2, 1000 * MS, 0);
    for (String id : List.of("a", "b", "c")) {
      board.frame(frame(id, 0, 10), 0);
    }
    assertEquals(List.of("a", "b"), board.figures(0).stream().map(LiveStream.Figures::id).toList());
    assertEquals(1, board.overCap());
    board.deadLetter("a", 0);
    board.deadLetter("zzz", 0);
    board.deadLetter(null, 0);
    assertEquals(1, board.figures(0).get(0).deadLetters());
    assertEquals(2, board.unattributedDeadLetters());
    board.housekeep(StreamBoard.IDLE_DROP_NANOS + 1);
    assertEquals(List.of(), board.figures(0), "idle streams are dropped, which frees their places");
    board.frame(frame("c", 0, 10), StreamBoard.IDLE_DROP_NANOS + 2);
    assertEquals(List.of("c"), board.figures(0).stream().map(LiveStream.Figures::id).toList());
  }

  @Test
  void sourceUrisAreMaskedWhenShown() {
    LiveStream stream = new LiveStream("cam", new PendingBudget(1 << 20), 0, 100, 0);
    VideoFrame f = VideoFrame.newBuilder(frame("cam", 0, 10)).setSourceUri("rtsp://admin:hunter2@cam.local/1?token=abc").build();
    stream.frame(f, 0);
    String shown = stream.figures(0).sourceUri();
    assertEquals("rtsp://***@cam.local/1?token=***", shown);
  }

  static VideoFrame frame(String stream, long sequence, int bytes) {
    return VideoFrame.newBuilder()
        .setStreamId(stream).setSequence(sequence).setCaptureTimeUs(sequence * 33_333).setCaptureWallTimeMs(1000 + sequence)
        .setWidth(4).setHeight(2).setEncoding(FrameEncoding.JPEG).setData(ByteBuffer.wrap(new byte[bytes]))
        .setSourceUri("file.mp4").setDiscontinuity(false).setEndOfStream(false).build();
  }

  static SegmentationResult result(String stream, long sequence) {
    return TailResults.result(stream, sequence, 1000 + sequence, 40, TailResults.labels(0));
  }
}
