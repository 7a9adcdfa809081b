package org.segstream.refine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.image.LabelMap;

class ContoursTest {
  private static final int BG = 1;

  @Test
  void squareWithAHole() {
    LabelMap map = filled(20, 20, BG);
    fillRect(map, 5, 5, 14, 14, 0);
    fillRect(map, 8, 8, 11, 11, BG);
    List<Contour> contours = Contours.extract(map, BG, 0, 0);
    assertEquals(1, contours.size());
    Contour c = contours.get(0);
    assertEquals(0, c.classIndex());
    assertEquals(100 - 16, c.area(), "pixel count, hole excluded");
    assertEquals(4, c.outer().size(), "a square's exact boundary has 4 corners");
    assertBox(c.outer(), 5, 5, 14, 14);
    assertEquals(81, c.outer().polygonArea(), "polygon through the edge pixels' centres");
    assertEquals(1, c.holes().size());
    // The hole is traced through the square's pixels around it.
    assertBox(c.holes().get(0), 7, 7, 12, 12);
  }

  @Test
  void twoDisjointDiscs() {
    LabelMap map = filled(160, 80, BG);
    disc(map, 40, 40, 20, 0);
    disc(map, 115, 40, 30, 0);
    List<Contour> contours = Contours.extract(map, BG, 0, 0);
    assertEquals(2, contours.size());
    assertEquals(Math.PI * 30 * 30, contours.get(0).area(), 0.02 * Math.PI * 30 * 30, "largest first");
    assertEquals(Math.PI * 20 * 20, contours.get(1).area(), 0.02 * Math.PI * 20 * 20);
    assertEquals(countOf(map, 0), contours.get(0).area() + contours.get(1).area());
    contours.forEach(c -> assertTrue(c.holes().isEmpty()));
  }

  @ParameterizedTest(name = "minArea {0} keeps {1}")
  @CsvSource({"0, 2", "9, 2", "10, 1", "1264, 1", "1265, 0"})
  void minAreaDropsSmallRegions(double minArea, int kept) {
    LabelMap map = filled(100, 60, BG);
    disc(map, 30, 30, 20, 0); // 1264 px (checked below)
    fillRect(map, 80, 10, 82, 12, 0); // 9 px
    assertEquals(1264, countOf(map, 0) - 9, "fixture disc size");
    assertEquals(kept, Contours.extract(map, BG, 0, minArea).size());
  }

  @Test
  void epsilonSimplifiesACircle() {
    LabelMap map = filled(120, 120, BG);
    disc(map, 60, 60, 40, 0);
    Polyline exact = Contours.extract(map, BG, 0, 0).get(0).outer();
    Polyline coarse = Contours.extract(map, BG, 1.5, 0).get(0).outer();
    Polyline coarser = Contours.extract(map, BG, 4, 0).get(0).outer();
    assertTrue(exact.size() > 60, "exact vertices " + exact.size());
    assertTrue(coarse.size() < exact.size() / 2, coarse.size() + " vs " + exact.size());
    assertTrue(coarser.size() < coarse.size(), coarser.size() + " vs " + coarse.size());
    for (int i = 0; i < coarse.size(); i++) {
      double r = Math.hypot(coarse.xs()[i] + 0.5 - 60, coarse.ys()[i] + 0.5 - 60);
      assertEquals(40, r, 1.5, "simplified vertices stay on the circle");
    }
    assertEquals(Math.PI * 40 * 40, coarse.polygonArea(), 0.06 * Math.PI * 40 * 40);
  }

  @Test
  void diagonalNeighboursAreOneRegion() {
    LabelMap map = filled(10, 10, BG);
    fillRect(map, 1, 1, 3, 3, 0);
    fillRect(map, 4, 4, 6, 6, 0);
    List<Contour> contours = Contours.extract(map, BG, 0, 0);
    assertEquals(1, contours.size());
    assertEquals(18, contours.get(0).area());
  }

  @Test
  void petWithBorderRingGivesARingContourWithAHole() {
    LabelMap map = filled(80, 80, BG);
    disc(map, 40, 40, 25, 2);
    disc(map, 40, 40, 21, 0);
    List<Contour> contours = Contours.extract(map, BG, 0, 0);
    assertEquals(2, contours.size());
    assertEquals(0, contours.get(0).classIndex());
    assertEquals(0, contours.get(0).holes().size());
    assertEquals(2, contours.get(1).classIndex());
    assertEquals(1, contours.get(1).holes().size());
    assertEquals(countOf(map, 2), contours.get(1).area());
  }

  @Test
  void regionsTouchingTheFrameAndIslandsInHoles() {
    LabelMap map = filled(30, 20, 0); // the whole frame is class 0...
    fillRect(map, 5, 5, 24, 14, BG); // ...with a background hole...
    fillRect(map, 10, 8, 14, 11, 0); // ...holding an island of class 0.
    List<Contour> contours = Contours.extract(map, BG, 0, 0);
    assertEquals(2, contours.size());
    assertEquals(30 * 20 - 20 * 10, contours.get(0).area());
    assertBox(contours.get(0).outer(), 0, 0, 29, 19);
    assertEquals(1, contours.get(0).holes().size());
    assertEquals(20, contours.get(1).area());
    assertBox(contours.get(1).outer(), 10, 8, 14, 11);
  }

  @Test
  void everyPixelOfEveryClassIsInExactlyOneContourOnRandomMaps() {
    java.util.Random random = new java.util.Random(11);
    for (int trial = 0; trial < 20; trial++) {
      int w = 10 + random.nextInt(60);
      int h = 10 + random.nextInt(60);
      byte[] labels = new byte[w * h];
      for (int i = 0; i < labels.length; i++) {
        // Speckle with some runs, so components have odd shapes, diagonal links and holes.
        labels[i] = random.nextInt(4) == 0 || i == 0 ? (byte) random.nextInt(3) : labels[i - 1];
      }
      LabelMap map = new LabelMap(w, h, labels);
      List<Contour> contours = Contours.extract(map, BG, 0, 0);
      for (int k : new int[] {0, 2}) {
        int cls = k;
        double sum = contours.stream().filter(c -> c.classIndex() == cls).mapToDouble(Contour::area).sum();
        assertEquals(countOf(map, k), sum, "trial " + trial + " class " + k);
      }
      assertTrue(contours.stream().noneMatch(c -> c.classIndex() == BG));
    }
  }

  @Test
  void backgroundOnlyGivesNothingAndBadArgumentsAreRejected() {
    assertTrue(Contours.extract(filled(8, 8, BG), BG, 0, 0).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> Contours.extract(filled(8, 8, BG), BG, -1, 0));
    assertThrows(IllegalArgumentException.class, () -> Contours.extract(filled(8, 8, BG), BG, 0, Double.NaN));
  }

  private static LabelMap filled(int w, int h, int label) {
    byte[] labels = new byte[w * h];
    java.util.Arrays.fill(labels, (byte) label);
    return new LabelMap(w, h, labels);
  }

  private static void fillRect(LabelMap map, int x0, int y0, int x1, int y1, int label) {
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        map.labels()[y * map.width() + x] = (byte) label;
      }
    }
  }

  /** Pixels whose centre lies within r of (cx, cy), centre measured at pixel centres. */
  private static void disc(LabelMap map, double cx, double cy, double r, int label) {
    for (int y = 0; y < map.height(); y++) {
      for (int x = 0; x < map.width(); x++) {
        if (Math.hypot(x + 0.5 - cx, y + 0.5 - cy) <= r) {
          map.labels()[y * map.width() + x] = (byte) label;
        }
      }
    }
  }

  private static long countOf(LabelMap map, int label) {
    long n = 0;
    for (byte b : map.labels()) {
      n += (b & 0xff) == label ? 1 : 0;
    }
    return n;
  }

  private static void assertBox(Polyline p, int minX, int minY, int maxX, int maxY) {
    int[] xs = p.xs().clone();
    int[] ys = p.ys().clone();
    java.util.Arrays.sort(xs);
    java.util.Arrays.sort(ys);
    assertEquals(List.of(minX, minY, maxX, maxY), List.of(xs[0], ys[0], xs[xs.length - 1], ys[ys.length - 1]),
        "bounding box of the polyline");
  }
}
