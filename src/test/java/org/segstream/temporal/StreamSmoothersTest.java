package org.segstream.temporal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.segstream.image.ProbabilityMap;
import org.segstream.image.RgbImage;

/** The blending rule on small hand-made frames: two classes, background 0 and object 1. */
class StreamSmoothersTest {
  private static final int W = 8;
  private static final int H = 6;
  private static final TemporalSettings SETTINGS = new TemporalSettings(0.5, 8, 32, 40, 1000);

  /** A frame of one grey level. */
  private static RgbImage grey(int level) {
    byte[] rgb = new byte[3 * W * H];
    Arrays.fill(rgb, (byte) level);
    return new RgbImage(W, H, rgb);
  }

  /** Every pixel with object probability {@code p}. */
  private static ProbabilityMap object(float p) {
    float[] v = new float[W * H * 2];
    for (int i = 0; i < W * H; i++) {
      v[2 * i] = 1 - p;
      v[2 * i + 1] = p;
    }
    return new ProbabilityMap(W, H, 2, v);
  }

  private static float objectAt(ProbabilityMap m, int pixel) {
    return m.values()[2 * pixel + 1];
  }

  @Test
  void aStillSceneConvergesToWhatTheModelNowSaysAndEachPixelStillSumsToOne() {
    StreamSmoothers s = new StreamSmoothers(SETTINGS);
    RgbImage scene = grey(100);
    ProbabilityMap first = s.smooth("cam", 0, false, scene, object(0.9f)).probabilities();
    assertEquals(0.9f, objectAt(first, 0), 1e-6, "the first frame is the model's own");
    float previousGap = Float.MAX_VALUE;
    ProbabilityMap out = first;
    for (int seq = 1; seq <= 12; seq++) {
      StreamSmoothers.Smoothed sm = s.smooth("cam", seq, false, scene, object(0.1f));
      out = sm.probabilities();
      float gap = objectAt(out, 0) - 0.1f;
      // the state is kept in 1/255 steps: within one step of the model's value it may stop moving
      assertTrue(gap < previousGap || gap <= 1 / 255f, "frame " + seq + " moves towards the model's 0.1: " + objectAt(out, 0));
      previousGap = gap;
      assertEquals(seq - 1, sm.blend().previousSequence());
      assertEquals(1.0, sm.blend().blendedShare(), 1e-9, "every pixel is still");
    }
    assertEquals(0.1f, objectAt(out, 0), 0.01, "after 12 still frames the past has faded");
    assertEquals(1f, out.values()[0] + out.values()[1], 1e-5);
  }

  @Test
  void aOneFrameMissOfAConfidentObjectIsFilledWhereThePictureIsStill() {
    StreamSmoothers s = new StreamSmoothers(SETTINGS);
    for (int seq = 0; seq < 5; seq++) {
      s.smooth("cam", seq, false, grey(100), object(0.9f));
    }
    ProbabilityMap missed = s.smooth("cam", 5, false, grey(102), object(0.3f)).probabilities();
    assertEquals(0.6f, objectAt(missed, 0), 0.01, "half of 0.9 and half of 0.3");
    assertEquals(1, missed.argmax().get(0, 0), "still the object");
  }

  @Test
  void whereThePictureMovedNothingOfThePreviousFrameIsKeptAndTheShareFallsBetween() {
    StreamSmoothers s = new StreamSmoothers(SETTINGS);
    s.smooth("cam", 0, false, grey(100), object(0.9f));
    byte[] rgb = grey(100).rgb().clone();
    for (int c = 0; c < 3; c++) {
      rgb[c] = (byte) 160; // pixel 0 moved (60 > 32)
      rgb[3 + c] = (byte) 120; // pixel 1 half-way: 20 between 8 and 32
    }
    StreamSmoothers.Smoothed sm = s.smooth("cam", 1, false, new RgbImage(W, H, rgb), object(0.2f));
    assertEquals(0.2f, objectAt(sm.probabilities(), 0), 1e-6, "a moving pixel is the model's own");
    float keep = 0.5f * (32 - 20) / 24f;
    assertEquals((1 - keep) * 0.2f + keep * 0.9f, objectAt(sm.probabilities(), 1), 0.005);
    assertEquals(0.55f, objectAt(sm.probabilities(), 2), 0.005, "a still pixel keeps half");
    assertEquals((W * H - 1) / (double) (W * H), sm.blend().blendedShare(), 1e-9);
  }

  @Test
  void aSceneCutStartsTheStreamAfresh() {
    StreamSmoothers s = new StreamSmoothers(SETTINGS);
    s.smooth("cam", 0, false, grey(30), object(0.9f));
    s.smooth("cam", 1, false, grey(32), object(0.9f));
    StreamSmoothers.Smoothed cut = s.smooth("cam", 2, false, grey(200), object(0.1f));
    assertTrue(cut.blend().sceneCut());
    assertEquals(-1, cut.blend().previousSequence());
    assertEquals(0.1f, objectAt(cut.probabilities(), 0), 1e-6, "nothing of the other scene");
    StreamSmoothers.Smoothed after = s.smooth("cam", 3, false, grey(201), object(0.3f));
    assertFalse(after.blend().sceneCut());
    assertEquals(2, after.blend().previousSequence(), "the new scene is the stream's past now");
    assertEquals(0.2f, objectAt(after.probabilities(), 0), 0.005);
  }

  @Test
  void aMeanChangeBelowTheCutBlendsWhatStayedStill() {
    StreamSmoothers s = new StreamSmoothers(SETTINGS);
    s.smooth("cam", 0, false, grey(100), object(0.9f));
    byte[] rgb = grey(100).rgb().clone();
    Arrays.fill(rgb, 0, rgb.length / 2, (byte) 170); // half the frame changed by 70: mean change 35 < 40
    StreamSmoothers.Smoothed sm = s.smooth("cam", 1, false, new RgbImage(W, H, rgb), object(0.1f));
    assertFalse(sm.blend().sceneCut());
    assertEquals(0.5, sm.blend().blendedShare(), 1e-9);
  }

  @Test
  void aDiscontinuityStartsTheStreamAfresh() {
    StreamSmoothers s = new StreamSmoothers(SETTINGS);
    s.smooth("cam", 0, false, grey(100), object(0.9f));
    StreamSmoothers.Smoothed gap = s.smooth("cam", 1, true, grey(100), object(0.1f));
    assertEquals(-1, gap.blend().previousSequence());
    assertFalse(gap.blend().sceneCut());
    assertEquals(0.1f, objectAt(gap.probabilities(), 0), 1e-6);
    assertEquals(1, s.smooth("cam", 2, false, grey(100), object(0.1f)).blend().previousSequence());
  }

  @Test
  void theEndOfAStreamForgetsItAndAReplayFromAnEarlierSequenceOrAnotherSizeStartsAfresh() {
    StreamSmoothers s = new StreamSmoothers(SETTINGS);
    s.smooth("cam", 10, false, grey(100), object(0.9f));
    assertEquals(-1, s.smooth("cam", 3, false, grey(100), object(0.1f)).blend().previousSequence(), "sequence went back");
    s.forget("cam");
    assertEquals(0, s.streams());
    assertEquals(-1, s.smooth("cam", 4, false, grey(100), object(0.1f)).blend().previousSequence());
    RgbImage wider = new RgbImage(W + 2, H, new byte[3 * (W + 2) * H]);
    float[] p = new float[(W + 2) * H * 2];
    assertEquals(-1, s.smooth("cam", 5, false, wider, new ProbabilityMap(W + 2, H, 2, p)).blend().previousSequence());
  }

  @Test
  void streamsBeyondTheCapEvictTheLeastRecentlySeen() {
    StreamSmoothers s = new StreamSmoothers(new TemporalSettings(0.5, 8, 32, 40, 2));
    s.smooth("a", 0, false, grey(100), object(0.9f));
    s.smooth("b", 0, false, grey(100), object(0.9f));
    s.smooth("a", 1, false, grey(100), object(0.9f)); // a is now the more recent
    s.smooth("c", 0, false, grey(100), object(0.9f));
    assertEquals(2, s.streams());
    assertEquals(1, s.evicted());
    assertEquals(1, s.smooth("a", 2, false, grey(100), object(0.9f)).blend().previousSequence(), "a kept its state");
    assertEquals(-1, s.smooth("b", 1, false, grey(100), object(0.9f)).blend().previousSequence(), "b was evicted");
    assertEquals(2, s.evicted(), "b's return evicted c");
    assertEquals(2, s.streams());
  }

  @Test
  void aWeightOfZeroLeavesEveryFrameAsTheModelSawIt() {
    StreamSmoothers s = new StreamSmoothers(new TemporalSettings(0, 8, 32, 40, 10));
    s.smooth("cam", 0, false, grey(100), object(0.9f));
    ProbabilityMap now = object(0.2f);
    assertArrayEquals(now.values(), s.smooth("cam", 1, false, grey(100), now).probabilities().values());
  }

  @Test
  void settingsOutOfRangeAreRefusedWithTheirValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TemporalSettings(1, 8, 32, 40, 1));
    assertTrue(e.getMessage().contains("got 1.0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TemporalSettings(0.5, 32, 8, 40, 1));
    assertThrows(IllegalArgumentException.class, () -> new TemporalSettings(0.5, 8, 32, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new TemporalSettings(0.5, 8, 32, 40, 0));
  }

  /** A 64×64 texture seen through a camera that moved by (dx, dy): frame(x, y) = texture(x − dx, y − dy). */
  private static RgbImage texture(int dx, int dy) {
    byte[] rgb = new byte[3 * 64 * 64];
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        int tx = x - dx;
        int ty = y - dy;
        int v = (int) (128 + 60 * Math.sin(tx * 0.7) * Math.cos(ty * 0.45) + 50 * Math.sin((tx + 2 * ty) * 0.23));
        for (int c = 0; c < 3; c++) {
          rgb[3 * (y * 64 + x) + c] = (byte) Math.max(0, Math.min(255, v + 20 * c));
        }
      }
    }
    return new RgbImage(64, 64, rgb);
  }

  /** Object probability 0.9 in a 16×16 block at (20 + dx, 20 + dy), 0.1 elsewhere, at 64×64. */
  private static ProbabilityMap block(int dx, int dy, float inside) {
    float[] v = new float[64 * 64 * 2];
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        boolean in = x >= 20 + dx && x < 36 + dx && y >= 20 + dy && y < 36 + dy;
        float p = in ? inside : 0.1f;
        v[2 * (y * 64 + x)] = 1 - p;
        v[2 * (y * 64 + x) + 1] = p;
      }
    }
    return new ProbabilityMap(64, 64, 2, v);
  }

  @Test
  void whenTheCameraPansThePastIsShiftedWithThePictureBeforeItIsBlended() {
    StreamSmoothers s = new StreamSmoothers(SETTINGS);
    s.smooth("cam", 0, false, texture(0, 0), block(0, 0, 0.9f));
    // the camera moved: everything is 3 px right and 2 px down; the model misses the object this time
    StreamSmoothers.Smoothed sm = s.smooth("cam", 1, false, texture(3, 2), block(3, 2, 0.3f));
    assertFalse(sm.blend().sceneCut());
    assertTrue(sm.blend().blendedShare() > 0.85, "aligned, nearly every pixel is still: " + sm.blend().blendedShare());
    ProbabilityMap out = sm.probabilities();
    assertEquals(0.6f, objectAt(out, (28 + 2) * 64 + 28 + 3), 0.01, "the object's middle, where it is now, is filled");
    assertEquals(0.1f, objectAt(out, (21 + 2) * 64 + 40 + 3), 0.01, "beside it the background stays background");
    assertEquals(0.1f, objectAt(out, 0), 1e-6, "a pixel the previous frame did not show is the model's own");
  }
}
