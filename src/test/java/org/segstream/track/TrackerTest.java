package org.segstream.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.segstream.image.LabelMap;
import org.segstream.refine.Contour;
import org.segstream.refine.Contours;

/**
 * The tracker on hand-made label maps in the pets layout (0 = object, 1 = background, 2 = border ring):
 * components, crossing, occlusion, leaving and coming back, discontinuity, the memory and stream bounds.
 */
class TrackerTest {
  private static final int OBJECT = 0;
  private static final int BACKGROUND = 1;
  private static final int BORDER = 2;
  private static final int W = 200;
  private static final int H = 100;

  /** A square object of side {@code size} at (x, y) (top-left, may be partly outside) with a 2 px border ring. */
  private record Square(int x, int y, int size) {}

  private static LabelMap frame(Square... squares) {
    byte[] labels = new byte[W * H];
    java.util.Arrays.fill(labels, (byte) BACKGROUND);
    for (Square s : squares) {
      for (int y = s.y(); y < s.y() + s.size(); y++) {
        for (int x = s.x(); x < s.x() + s.size(); x++) {
          if (x >= 0 && y >= 0 && x < W && y < H) {
            boolean ring = x - s.x() < 2 || y - s.y() < 2 || s.x() + s.size() - 1 - x < 2 || s.y() + s.size() - 1 - y < 2;
            labels[y * W + x] = (byte) (ring ? BORDER : OBJECT);
          }
        }
      }
    }
    return new LabelMap(W, H, labels);
  }

  private static StreamTrackers trackers(int maxLost, int maxStreams) {
    return new StreamTrackers(new TrackerSettings(BACKGROUND, 16, maxLost, maxStreams));
  }

  private static List<TrackedInstance> update(StreamTrackers t, long seq, LabelMap map) {
    return t.update("cam", seq, false, map, List.of());
  }

  @Test
  void aComponentIsTheObjectWithItsRingWithBoxCentroidMajorityClassAndOuterContour() {
    LabelMap map = frame(new Square(10, 20, 20), new Square(100, 50, 3)); // the second is 9 px: below 16
    List<Contour> contours = Contours.extract(map, BACKGROUND, 0, 0);
    List<TrackedInstance> got = trackers(5, 4).update("cam", 0, false, map, contours);
    assertEquals(1, got.size(), got.toString());
    TrackedInstance i = got.get(0);
    assertEquals(1, i.id());
    assertEquals(OBJECT, i.classIndex(), "16x16 object pixels against 144 ring pixels");
    assertEquals(400, i.area());
    assertEquals(List.of(10, 20, 20, 20), List.of(i.x(), i.y(), i.width(), i.height()));
    assertEquals(20f, i.centroidX(), 1e-4);
    assertEquals(30f, i.centroidY(), 1e-4);
    assertTrue(i.contourIndex() >= 0, "traced: " + contours);
    Contour outer = contours.get(i.contourIndex());
    assertEquals(BORDER, outer.classIndex(), "the ring's outside is the component's outside, not the object class inside it");
  }

  @Test
  void diagonalNeighboursJoinAndSeparateObjectsDoNot() {
    byte[] labels = new byte[W * H];
    java.util.Arrays.fill(labels, (byte) BACKGROUND);
    // two 5x5 squares touching at one corner: one component (8-connected), and one apart
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 5; x++) {
        labels[(10 + y) * W + 10 + x] = OBJECT;
        labels[(15 + y) * W + 15 + x] = OBJECT;
        labels[(50 + y) * W + 100 + x] = BORDER;
      }
    }
    List<TrackedInstance> got = trackers(5, 4).update("cam", 0, false, new LabelMap(W, H, labels), List.of());
    assertEquals(2, got.size(), got.toString());
    assertEquals(50, got.get(0).area());
    assertEquals(25, got.get(1).area());
    assertEquals(BORDER, got.get(1).classIndex());
    assertEquals(-1, got.get(1).contourIndex(), "no contours given");
  }

  @Test
  void twoObjectsThatCrossKeepTheirIds() {
    StreamTrackers t = trackers(30, 4);
    long left = -1;
    long right = -1;
    boolean merged = false;
    for (int f = 0; f <= 30; f++) {
      // towards each other at 5 px/frame, one 4 px lower: they overlap from frame ~11 to ~19
      Square a = new Square(20 + 5 * f, 30, 24);
      Square b = new Square(156 - 5 * f, 34, 24);
      List<TrackedInstance> got = update(t, f, frame(a, b));
      if (got.size() == 1) {
        merged = true;
        continue;
      }
      assertEquals(2, got.size(), "frame " + f + ": " + got);
      TrackedInstance ofA = got.stream().filter(i -> Math.abs(i.x() - a.x()) <= 1).findFirst().orElseThrow();
      TrackedInstance ofB = got.stream().filter(i -> Math.abs(i.x() - b.x()) <= 1).findFirst().orElseThrow();
      if (f == 0) {
        left = ofA.id();
        right = ofB.id();
        assertNotEquals(left, right);
      }
      assertEquals(left, ofA.id(), "frame " + f + ": the object from the left keeps its id");
      assertEquals(right, ofB.id(), "frame " + f + ": the object from the right keeps its id");
    }
    assertTrue(merged, "the two objects were one component for a while");
  }

  @Test
  void anObjectHiddenForAWhileKeepsItsIdAndOneHiddenTooLongGetsANewOne() {
    StreamTrackers t = trackers(10, 4);
    long id = update(t, 0, frame(new Square(10, 30, 20))).get(0).id();
    for (int f = 1; f < 10; f++) {
      assertEquals(id, update(t, f, frame(new Square(10 + 3 * f, 30, 20))).get(0).id());
    }
    for (int f = 10; f < 18; f++) {
      assertEquals(List.of(), update(t, f, frame()), "hidden");
    }
    // back where its motion took it
    assertEquals(id, update(t, 18, frame(new Square(10 + 3 * 18, 30, 20))).get(0).id(), "8 frames hidden < 10 of memory");
    for (int f = 19; f < 31; f++) {
      update(t, f, frame());
    }
    long again = update(t, 31, frame(new Square(10 + 3 * 31, 30, 20))).get(0).id();
    assertNotEquals(id, again, "12 frames hidden > 10 of memory: a new object");
    assertEquals(id + 1, again, "ids count on");
  }

  @Test
  void anObjectThatLeavesAndComesBackAtTheSameEdgeKeepsItsId() {
    StreamTrackers t = trackers(30, 4);
    long id = -1;
    int f = 0;
    for (; f < 12; f++) { // out through the right edge at 6 px/frame
      List<TrackedInstance> got = update(t, f, frame(new Square(140 + 6 * f, 40, 24)));
      if (f == 0) {
        id = got.get(0).id();
      }
      if (!got.isEmpty()) {
        assertEquals(id, got.get(0).id());
      }
    }
    for (; f < 20; f++) {
      assertEquals(List.of(), update(t, f, frame()));
    }
    // back in from the right, a little lower
    for (int k = 0; k < 8; k++, f++) {
      List<TrackedInstance> got = update(t, f, frame(new Square(W - 4 - 6 * k, 46, 24)));
      assertEquals(1, got.size());
      assertEquals(id, got.get(0).id(), "frame " + f + ": came back");
    }
  }

  @Test
  void aDiscontinuityStartsIdsAfreshAndNeverReusesOne() {
    StreamTrackers t = trackers(30, 4);
    assertEquals(List.of(1L, 2L), ids(update(t, 0, frame(new Square(10, 10, 20), new Square(100, 10, 20)))));
    assertEquals(List.of(1L, 2L), ids(update(t, 1, frame(new Square(12, 10, 20), new Square(102, 10, 20)))));
    List<TrackedInstance> after = t.update("cam", 7, true, frame(new Square(12, 10, 20)), List.of());
    assertEquals(List.of(7 * Tracker.ID_STRIDE + 1), ids(after), "the same place, but after a gap: a new id from the new base");
    // a frame not after the last one (the stream started over): afresh too
    assertEquals(List.of(3 * Tracker.ID_STRIDE + 1), ids(update(t, 3, frame(new Square(12, 10, 20)))));
    long huge = update(t, Long.MAX_VALUE, frame(new Square(12, 10, 20))).get(0).id();
    assertTrue(huge > 0, "a sequence from record data cannot overflow the ids: " + huge);
  }

  @Test
  void trackersAreBoundedByTheStreamCapAndGoAtEndOfStream() {
    StreamTrackers t = trackers(30, 2);
    LabelMap one = frame(new Square(10, 10, 20));
    t.update("a", 0, false, one, List.of());
    t.update("b", 0, false, one, List.of());
    t.update("a", 1, false, one, List.of());
    t.update("c", 0, false, one, List.of()); // b was seen least recently
    assertEquals(2, t.streams());
    assertEquals(1, t.evicted());
    assertEquals(List.of(1L), ids(t.update("a", 2, false, one, List.of())), "a kept its tracker");
    assertEquals(List.of(5 * Tracker.ID_STRIDE + 1), ids(t.update("b", 5, false, one, List.of())),
        "b starts again empty, from a fresh base");
    t.endOfStream("b");
    t.endOfStream("c");
    assertEquals(1, t.streams());
  }

  @Test
  void aFrameOfManySpecksKeepsTheLargestComponentsOnly() {
    byte[] labels = new byte[W * H];
    java.util.Arrays.fill(labels, (byte) BACKGROUND);
    for (int y = 0; y < H; y += 2) {
      for (int x = 0; x < W; x += 2) {
        labels[y * W + x] = OBJECT; // 5000 one-pixel components
      }
    }
    var blobs = new ForegroundComponents().find(new LabelMap(W, H, labels), BACKGROUND, 0, List.of());
    assertEquals(ForegroundComponents.MAX_PER_FRAME, blobs.size());
  }

  @Test
  void aStreamOfShiftingSpecksKeepsAtMostTheTrackCap() {
    Tracker one = new Tracker(30);
    List<Blob> specks = new ArrayList<>();
    for (int i = 0; i < ForegroundComponents.MAX_PER_FRAME; i++) {
      specks.add(new Blob(1, 0, (i * 2) % W, (i * 2) / W * 2, 1, 1, 0, 0, -1));
    }
    for (int f = 0; f < 4; f++) {
      List<Blob> shifted = new ArrayList<>();
      for (Blob b : specks) {
        shifted.add(new Blob(1, 0, b.x(), b.y() + 50 * f, 1, 1, 0, 0, -1)); // far from the last frame's: all new
      }
      one.update(f, shifted, W, 1000);
      assertTrue(one.trackCount() <= Tracker.MAX_TRACKS, "frame " + f + ": " + one.trackCount());
    }
  }

  private static List<Long> ids(List<TrackedInstance> instances) {
    List<Long> ids = new ArrayList<>();
    instances.forEach(i -> ids.add(i.id()));
    return ids;
  }
}
