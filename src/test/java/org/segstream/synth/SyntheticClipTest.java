package org.segstream.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.segstream.image.LabelMap;

class SyntheticClipTest {
  private static final int W = 160;
  private static final int H = 96;

  @Test
  void framesAreDeterministicAndRandomAccess() {
    SyntheticClip a = new SyntheticClip(9, W, H, 2);
    SyntheticClip b = new SyntheticClip(9, W, H, 2);
    assertEquals(30, a.fps());
    LabelledImage late = b.frame(17);
    for (int i = 0; i < 18; i++) {
      a.frame(i);
    }
    assertArrayEquals(a.frame(17).image().rgb(), late.image().rgb());
    assertArrayEquals(a.frame(17).truth().labels(), late.truth().labels());
    assertFalse(Arrays.equals(new SyntheticClip(10, W, H, 2).frame(0).image().rgb(), a.frame(0).image().rgb()));
  }

  @Test
  void objectsMoveBetweenFramesWithExactTruth() {
    SyntheticClip clip = new SyntheticClip(4, W, H, 3);
    LabelledImage first = clip.frame(0);
    LabelledImage next = clip.frame(1);
    assertFalse(Arrays.equals(first.truth().labels(), next.truth().labels()), "truth must change between frames");
    long[] counts = SyntheticScenesTest.counts(next.truth());
    assertTrue(counts[0] > 0 && counts[1] > 0 && counts[2] > 0, Arrays.toString(counts));
  }

  @Test
  void aSingleObjectBouncesInsideTheFrame() {
    for (long seed = 0; seed < 4; seed++) {
      SyntheticClip clip = new SyntheticClip(seed, W, H, 1);
      double path = 0;
      double[] previous = null;
      for (int i = 0; i < 900; i++) {
        LabelMap truth = clip.frame(i).truth();
        double[] c = foregroundCentroidInside(truth, "seed " + seed + " frame " + i);
        if (previous != null) {
          path += Math.hypot(c[0] - previous[0], c[1] - previous[1]);
        }
        previous = c;
      }
      // A straight path that stays inside can be at most the frame's diagonal long; more means it turned back.
      assertTrue(path > 2 * Math.hypot(W, H), "seed " + seed + ": travelled only " + path + " px");
    }
  }

  /** The centroid of object ∪ border, asserting that no such pixel lies on the frame's edge. */
  private static double[] foregroundCentroidInside(LabelMap truth, String where) {
    double sx = 0;
    double sy = 0;
    long n = 0;
    for (int y = 0; y < truth.height(); y++) {
      for (int x = 0; x < truth.width(); x++) {
        if (truth.get(x, y) != SyntheticScenes.BACKGROUND_CLASS) {
          assertTrue(x > 0 && y > 0 && x < truth.width() - 1 && y < truth.height() - 1,
              where + ": object at the frame edge " + x + "," + y);
          sx += x;
          sy += y;
          n++;
        }
      }
    }
    assertTrue(n > 0, where + ": no object");
    return new double[] {sx / n, sy / n};
  }
}
