package org.segstream.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.segstream.testing.LabelMaps.fraction;
import static org.segstream.testing.LabelMaps.map;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.image.LabelMap;

class BoundaryFTest {
  private static final double EPS = 1e-12;
  private static final String SPLIT_AT_3 = "000111 000111 000111 000111 000111 000111";
  private static final String SPLIT_AT_4 = "000011 000011 000011 000011 000011 000011";
  private static final String SPLIT_AT_5 = "000001 000001 000001 000001 000001 000001";
  private static final String DOT_AT_2_2 = "0000000 0000000 0010000 0000000 0000000 0000000 0000000";
  private static final String DOT_AT_4_4 = "0000000 0000000 0000000 0000000 0000100 0000000 0000000";
  private static final String UNIFORM = "000000 000000 000000 000000 000000 000000";

  /**
   * Boundary pixels sit on both sides of an edge (a vertical edge gives two boundary columns). Dots: each dot's
   * boundary is the dot and its 4 neighbours; the nearest pairs are √2 apart, (4,4) is √5 from the nearest true
   * boundary pixel, (5,4) and (4,5) √8 — so t = 2 tells Euclidean (F = 2/5) from Chebyshev (F would be 3/5).
   */
  @ParameterizedTest(name = "{0} at t={3}")
  @CsvSource(delimiter = '|', textBlock = """
      # case                         | truth      | predicted  | t | F
      edge one column off            | SPLIT_AT_3 | SPLIT_AT_4 | 0 | 1/2
      edge one column off            | SPLIT_AT_3 | SPLIT_AT_4 | 1 | 1
      edge one column off            | SPLIT_AT_3 | SPLIT_AT_4 | 2 | 1
      edge two columns off           | SPLIT_AT_3 | SPLIT_AT_5 | 0 | 0
      edge two columns off           | SPLIT_AT_3 | SPLIT_AT_5 | 1 | 1/2
      edge two columns off           | SPLIT_AT_3 | SPLIT_AT_5 | 2 | 1
      identical                      | SPLIT_AT_3 | SPLIT_AT_3 | 0 | 1
      both without boundary          | UNIFORM    | UNIFORM    | 0 | 1
      truth without boundary         | UNIFORM    | SPLIT_AT_3 | 2 | 0
      prediction without boundary    | SPLIT_AT_3 | UNIFORM    | 2 | 0
      dots apart diagonally          | DOT_AT_2_2 | DOT_AT_4_4 | 1 | 0
      dots apart diagonally          | DOT_AT_2_2 | DOT_AT_4_4 | 2 | 2/5
      dots apart diagonally          | DOT_AT_2_2 | DOT_AT_4_4 | 3 | 1
      """)
  void scoresMatchHandComputedValues(String name, String truth, String predicted, int tolerance, String expected) {
    assertEquals(fraction(expected), BoundaryF.score(fixture(truth), fixture(predicted), tolerance), EPS);
  }

  @Test
  void averagesPerImage() {
    BoundaryF f = new BoundaryF(0);
    assertEquals(0.5, f.add(fixture("SPLIT_AT_3"), fixture("SPLIT_AT_4")), EPS);
    assertEquals(1.0, f.add(fixture("SPLIT_AT_3"), fixture("SPLIT_AT_3")), EPS);
    assertEquals(0.75, f.mean(), EPS);
    assertEquals(2, f.images());
    BoundaryF other = new BoundaryF(0);
    other.add(fixture("SPLIT_AT_3"), fixture("SPLIT_AT_5"));
    assertEquals(0.5, f.merge(other).mean(), EPS);
    assertTrue(Double.isNaN(new BoundaryF(2).mean()));
    assertThrows(IllegalArgumentException.class, () -> f.merge(new BoundaryF(1)));
  }

  @Test
  void agreesWithBruteForceOnRandomMaps() {
    Random random = new Random(3);
    for (int trial = 0; trial < 30; trial++) {
      int w = 5 + random.nextInt(20);
      int h = 5 + random.nextInt(20);
      LabelMap truth = blobs(random, w, h);
      LabelMap predicted = blobs(random, w, h);
      for (int t = 0; t <= 4; t++) {
        assertEquals(bruteForce(truth, predicted, t), BoundaryF.score(truth, predicted, t), 1e-12,
            "trial " + trial + " t=" + t);
      }
    }
  }

  @Test
  void rejectsMismatchedSizesAndNegativeTolerance() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BoundaryF.score(map(4, "0011"), map(2, "0011"), 1));
    assertTrue(e.getMessage().contains("4x1") && e.getMessage().contains("2x2"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new BoundaryF(-1));
  }

  private static LabelMap fixture(String name) {
    String digits = switch (name) {
      case "SPLIT_AT_3" -> SPLIT_AT_3;
      case "SPLIT_AT_4" -> SPLIT_AT_4;
      case "SPLIT_AT_5" -> SPLIT_AT_5;
      case "DOT_AT_2_2" -> DOT_AT_2_2;
      case "DOT_AT_4_4" -> DOT_AT_4_4;
      case "UNIFORM" -> UNIFORM;
      default -> throw new IllegalArgumentException(name);
    };
    return map(digits.indexOf(' '), digits);
  }

  /** A few random rectangles of classes 1 and 2 on class 0. */
  private static LabelMap blobs(Random random, int w, int h) {
    byte[] labels = new byte[w * h];
    int rects = random.nextInt(4);
    for (int r = 0; r < rects; r++) {
      int x0 = random.nextInt(w);
      int y0 = random.nextInt(h);
      int x1 = Math.min(w, x0 + 1 + random.nextInt(w / 2));
      int y1 = Math.min(h, y0 + 1 + random.nextInt(h / 2));
      byte label = (byte) (1 + random.nextInt(2));
      for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1; x++) {
          labels[y * w + x] = label;
        }
      }
    }
    return new LabelMap(w, h, labels);
  }

  private static double bruteForce(LabelMap truth, LabelMap predicted, int t) {
    boolean[] te = BoundaryF.boundary(truth);
    boolean[] pe = BoundaryF.boundary(predicted);
    int w = truth.width();
    long tc = 0;
    long pc = 0;
    long tm = 0;
    long pm = 0;
    for (int i = 0; i < te.length; i++) {
      if (te[i]) {
        tc++;
        tm += near(pe, w, i, t) ? 1 : 0;
      }
      if (pe[i]) {
        pc++;
        pm += near(te, w, i, t) ? 1 : 0;
      }
    }
    if (tc == 0 && pc == 0) {
      return 1;
    }
    if (tc == 0 || pc == 0) {
      return 0;
    }
    double p = (double) pm / pc;
    double r = (double) tm / tc;
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  private static boolean near(boolean[] edge, int w, int i, int t) {
    int x = i % w;
    int y = i / w;
    for (int j = 0; j < edge.length; j++) {
      int dx = j % w - x;
      int dy = j / w - y;
      if (edge[j] && dx * dx + dy * dy <= t * t) {
        return true;
      }
    }
    return false;
  }
}
