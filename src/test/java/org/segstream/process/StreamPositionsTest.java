package org.segstream.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.segstream.segment.StreamPosition;

/** Where a batch resets its streams for the temporal step. */
class StreamPositionsTest {

  @Test
  void anEndOfStreamResetsAtItsPlaceInTheBatch() {
    StreamPositions p = new StreamPositions();
    p.submitted("a", 7, false);
    p.submitted("b", 3, false);
    p.ended("a");
    p.submitted("b", 4, false);
    p.submitted("a", 0, false); // the stream starts again after its end
    p.ended("b");
    assertEquals(List.of(new StreamPosition("a", 7, false), new StreamPosition("b", 3, false),
        new StreamPosition("b", 4, false), new StreamPosition("a", 0, true)), p.positions());
    assertEquals(Set.of("b"), p.forgetAfterBatch(), "b ended after its last frame: forgotten once the batch is blended");
  }

  @Test
  void aSkippedFramesDiscontinuityPassesToTheStreamsNextFrame() {
    StreamPositions p = new StreamPositions();
    p.submitted("a", 1, false);
    p.notSubmitted("a", true);
    p.notSubmitted("a", false);
    p.submitted("a", 4, false);
    p.submitted("a", 5, false);
    p.notSubmitted("c", true);
    p.notSubmitted("d", false);
    assertEquals(List.of(new StreamPosition("a", 1, false), new StreamPosition("a", 4, true),
        new StreamPosition("a", 5, false)), p.positions());
    assertEquals(Set.of("c"), p.forgetAfterBatch(), "c's gap has no frame after it in this batch; d had no gap");
  }

  @Test
  void aFramesOwnDiscontinuityIsKeptAndConsumesAPendingReset() {
    StreamPositions p = new StreamPositions();
    p.ended("a");
    p.submitted("a", 0, true);
    p.submitted("a", 1, false);
    assertEquals(List.of(new StreamPosition("a", 0, true), new StreamPosition("a", 1, false)), p.positions());
    assertEquals(Set.of(), p.forgetAfterBatch());
  }
}
