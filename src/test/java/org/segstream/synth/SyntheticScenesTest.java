package org.segstream.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;

class SyntheticScenesTest {
  private static final int OBJECT = SyntheticScenes.OBJECT_CLASS;
  private static final int BACKGROUND = SyntheticScenes.BACKGROUND_CLASS;
  private static final int BORDER = SyntheticScenes.BORDER_CLASS;

  @Test
  void classLayoutIsOxfordPets() {
    assertEquals(java.util.List.of("object", "background", "border"), SyntheticScenes.CLASS_NAMES);
    assertEquals(0, OBJECT);
    assertEquals(1, BACKGROUND);
    assertEquals(2, BORDER);
  }

  @Test
  void sameSeedGivesSameBytes() {
    SyntheticScenes a = new SyntheticScenes(42);
    SyntheticScenes b = new SyntheticScenes(42);
    for (int i = 0; i < 5; i++) {
      LabelledImage x = a.next(96, 64);
      LabelledImage y = b.next(96, 64);
      assertArrayEquals(x.image().rgb(), y.image().rgb(), "scene " + i);
      assertArrayEquals(x.truth().labels(), y.truth().labels(), "scene " + i);
    }
  }

  @Test
  void differentSeedsAndSuccessiveScenesDiffer() {
    LabelledImage a = new SyntheticScenes(1).next(64, 64);
    LabelledImage b = new SyntheticScenes(2).next(64, 64);
    assertFalse(Arrays.equals(a.image().rgb(), b.image().rgb()));
    SyntheticScenes scenes = new SyntheticScenes(1);
    scenes.next(64, 64);
    assertFalse(Arrays.equals(a.image().rgb(), scenes.next(64, 64).image().rgb()));
  }

  @ParameterizedTest
  @CsvSource({"64, 64", "96, 96", "128, 128", "160, 90"})
  void everySceneHasAllThreeClassesAndARingBetweenObjectAndBackground(int width, int height) {
    SyntheticScenes scenes = new SyntheticScenes(width * 31L + height);
    for (int s = 0; s < 40; s++) {
      LabelledImage scene = scenes.next(width, height);
      LabelMap truth = scene.truth();
      long[] counts = counts(truth);
      assertTrue(counts[OBJECT] > 0 && counts[BACKGROUND] > 0 && counts[BORDER] > 0,
          "scene " + s + " class counts " + Arrays.toString(counts));
      assertEquals(width * height, counts[0] + counts[1] + counts[2], "only classes 0..2");
      int ring = 2 + 2 * (Math.min(width, height) / 128);
      long nearObject = 0;
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int label = truth.get(x, y);
          if (label == OBJECT) {
            // The border ring always separates an object from the background.
            assertFalse(x + 1 < width && truth.get(x + 1, y) == BACKGROUND, "object touches background at " + x + "," + y);
            assertFalse(y + 1 < height && truth.get(x, y + 1) == BACKGROUND, "object touches background at " + x + "," + y);
          } else if (label == BACKGROUND) {
            assertFalse(x + 1 < width && truth.get(x + 1, y) == OBJECT, "background touches object at " + x + "," + y);
            assertFalse(y + 1 < height && truth.get(x, y + 1) == OBJECT, "background touches object at " + x + "," + y);
          } else if (hasWithin(truth, x, y, ring, OBJECT)) {
            nearObject++;
          }
        }
      }
      // A ring around objects, not scattered: only slivers thinner than the ring (all border) are far from class 0.
      assertTrue(nearObject >= 0.9 * counts[BORDER],
          "scene " + s + ": " + nearObject + " of " + counts[BORDER] + " border pixels near an object");
    }
  }

  @Test
  void objectsAreMoreSaturatedThanBackground() {
    SyntheticScenes scenes = new SyntheticScenes(5);
    double[] chroma = new double[3];
    long[] n = new long[3];
    for (int s = 0; s < 20; s++) {
      LabelledImage scene = scenes.next(96, 96);
      RgbImage image = scene.image();
      for (int y = 0; y < 96; y++) {
        for (int x = 0; x < 96; x++) {
          int r = image.get(x, y, 0);
          int g = image.get(x, y, 1);
          int b = image.get(x, y, 2);
          int label = scene.truth().get(x, y);
          chroma[label] += Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
          n[label]++;
        }
      }
    }
    double object = chroma[OBJECT] / n[OBJECT];
    double background = chroma[BACKGROUND] / n[BACKGROUND];
    assertTrue(object > 2.5 * background, "mean chroma object " + object + " vs background " + background);
  }

  @Test
  void rejectsEmptySize() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SyntheticScenes(0).next(0, 5));
    assertTrue(e.getMessage().contains("0x5"), e.getMessage());
  }

  static long[] counts(LabelMap map) {
    long[] counts = new long[256];
    for (byte b : map.labels()) {
      counts[b & 0xff]++;
    }
    return counts;
  }

  private static boolean hasWithin(LabelMap map, int x, int y, int radius, int label) {
    for (int yy = Math.max(0, y - radius); yy <= Math.min(map.height() - 1, y + radius); yy++) {
      for (int xx = Math.max(0, x - radius); xx <= Math.min(map.width() - 1, x + radius); xx++) {
        if (map.get(xx, yy) == label) {
          return true;
        }
      }
    }
    return false;
  }
}
