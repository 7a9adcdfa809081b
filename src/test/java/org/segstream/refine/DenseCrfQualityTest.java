package org.segstream.refine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.segstream.image.LabelMap;

/**
 * On a sharp colour edge with a blurred, shifted, noisy probability map, the CRF must move the mask
 * towards the true edge. IoU and boundary F are computed here (org.segstream.eval is not on main yet).
 */
class DenseCrfQualityTest {

  @ParameterizedTest
  @ValueSource(longs = {7, 8, 9})
  void refinementImprovesIouAndBoundaryF(long seed) {
    Scenes.Scene scene = Scenes.disc(96, 72, seed, 12, 3, 3, 4, 0.25);
    LabelMap before = scene.probabilities().argmax();
    LabelMap after = new DenseCrf(CrfParams.REFERENCE).refine(scene.image(), scene.probabilities());

    double iouBefore = iou(before, scene.truth(), 0);
    double iouAfter = iou(after, scene.truth(), 0);
    double bfBefore = boundaryF(before, scene.truth(), 2);
    double bfAfter = boundaryF(after, scene.truth(), 2);
    System.out.printf("seed %d: disc IoU %.3f -> %.3f, boundary F(2px) %.3f -> %.3f%n", seed, iouBefore, iouAfter, bfBefore, bfAfter);
    assertTrue(iouAfter > iouBefore + 0.03, "IoU " + iouBefore + " -> " + iouAfter);
    assertTrue(bfAfter > bfBefore + 0.1, "boundary F " + bfBefore + " -> " + bfAfter);
    assertTrue(iouAfter > 0.95, "IoU after refinement only " + iouAfter);
  }

  static double iou(LabelMap predicted, LabelMap truth, int label) {
    int tp = 0;
    int fpFn = 0;
    for (int i = 0; i < truth.labels().length; i++) {
      boolean p = predicted.labels()[i] == label;
      boolean t = truth.labels()[i] == label;
      if (p && t) {
        tp++;
      } else if (p || t) {
        fpFn++;
      }
    }
    return (double) tp / (tp + fpFn);
  }

  /** F of boundary precision and recall, a boundary pixel matching within {@code tolerance} px (Euclidean). */
  static double boundaryF(LabelMap predicted, LabelMap truth, int tolerance) {
    boolean[] bp = boundary(predicted);
    boolean[] bt = boundary(truth);
    double precision = matched(bp, bt, predicted.width(), predicted.height(), tolerance);
    double recall = matched(bt, bp, predicted.width(), predicted.height(), tolerance);
    return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
  }

  private static boolean[] boundary(LabelMap map) {
    int w = map.width();
    int h = map.height();
    boolean[] out = new boolean[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int l = map.get(x, y);
        out[y * w + x] =
            (x + 1 < w && map.get(x + 1, y) != l) || (y + 1 < h && map.get(x, y + 1) != l)
                || (x > 0 && map.get(x - 1, y) != l) || (y > 0 && map.get(x, y - 1) != l);
      }
    }
    return out;
  }

  /** The share of {@code from}'s boundary pixels with one of {@code to}'s within the tolerance. */
  private static double matched(boolean[] from, boolean[] to, int w, int h, int tolerance) {
    int total = 0;
    int hits = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (!from[y * w + x]) {
          continue;
        }
        total++;
        search:
        for (int dy = -tolerance; dy <= tolerance; dy++) {
          for (int dx = -tolerance; dx <= tolerance; dx++) {
            int xx = x + dx;
            int yy = y + dy;
            if (dx * dx + dy * dy <= tolerance * tolerance && xx >= 0 && yy >= 0 && xx < w && yy < h && to[yy * w + xx]) {
              hits++;
              break search;
            }
          }
        }
      }
    }
    return total == 0 ? 0 : (double) hits / total;
  }
}
