package org.segstream.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.segstream.dataset.Example;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;
import org.segstream.train.augment.Augmentations;
import org.segstream.train.augment.BackgroundPool;
import org.segstream.train.augment.Textures;

/** Each augmentation does what it says, on a pair whose pet is a known square. */
class AugmentationTest {
  private static final int PET = 0;
  private static final int BACKGROUND = 1;
  private static final int BORDER = 2;
  private static final int EXAMPLES = 200;

  /**
   * A {@code width × height} pair: a red pet square of side {@code side} at (x0, y0) with a 2-pixel
   * border band (dark red), on green.
   */
  static Example petSquare(int width, int height, int x0, int y0, int side) {
    byte[] rgb = new byte[3 * width * height];
    byte[] labels = new byte[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = y * width + x;
        boolean pet = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
        boolean border = !pet && x >= x0 - 2 && x < x0 + side + 2 && y >= y0 - 2 && y < y0 + side + 2;
        labels[i] = (byte) (pet ? PET : border ? BORDER : BACKGROUND);
        rgb[3 * i] = (byte) (pet ? 230 : border ? 160 : 30);
        rgb[3 * i + 1] = (byte) (pet || border ? 20 : 200);
        rgb[3 * i + 2] = (byte) 20;
      }
    }
    return new Example("pet", new RgbImage(width, height, rgb), new LabelMap(width, height, labels));
  }

  private static final BackgroundPool TEXTURES = new BackgroundPool(List.of(Textures::draw));
  /** A background that is pure blue, so every pixel of it can be told apart after jitter. */
  private static final BackgroundPool BLUE = new BackgroundPool(List.of((w, h, r) -> {
    byte[] rgb = new byte[3 * w * h];
    for (int i = 2; i < rgb.length; i += 3) {
      rgb[i] = (byte) 255;
    }
    return new RgbImage(w, h, rgb);
  }));

  private static Example draw(Example pair, long k, Augmentations set, BackgroundPool pool, int w, int h) {
    return Augmentation.apply(pair, w, h, new SplittableRandom(k), set, pool, BACKGROUND);
  }

  private static double petShare(LabelMap labels) {
    int n = 0;
    for (byte b : labels.labels()) {
      n += b == PET ? 1 : 0;
    }
    return (double) n / labels.labels().length;
  }

  @Test
  void zoomOutMakesThePetsShareOfTheFrameSmaller() {
    Example pair = petSquare(100, 100, 20, 20, 60);
    double basic = 0;
    double zoomed = 0;
    double smallest = 1;
    for (long k = 0; k < EXAMPLES; k++) {
      basic += petShare(draw(pair, k, Augmentations.BASIC, TEXTURES, 64, 64).truth());
      double share = petShare(draw(pair, k, Augmentations.parse("zoom-out"), TEXTURES, 64, 64).truth());
      zoomed += share;
      smallest = Math.min(smallest, share);
    }
    basic /= EXAMPLES;
    zoomed /= EXAMPLES;
    // half the examples at side s in [0.35, 1]: E[s²] ≈ 0.49, so the mean share falls to ≈ 0.75 of basic's
    assertTrue(zoomed < 0.85 * basic, "pet share: basic " + basic + ", zoom-out " + zoomed);
    assertTrue(smallest < 0.3 * basic, "the smallest zoomed-out pet share " + smallest + " vs basic mean " + basic);
  }

  @Test
  void pasteNeverPutsPetLabelsWhereTheBackgroundsPixelsCameFrom() {
    Example pair = petSquare(100, 80, 30, 20, 40);
    int pasted = 0;
    for (long k = 0; k < EXAMPLES; k++) {
      Example e = draw(pair, k, Augmentations.parse("paste,zoom-out"), BLUE, 72, 48);
      byte[] rgb = e.image().rgb();
      byte[] labels = e.truth().labels();
      boolean anyBlue = false;
      for (int i = 0; i < labels.length; i++) {
        int r = rgb[3 * i] & 0xff;
        int g = rgb[3 * i + 1] & 0xff;
        int b = rgb[3 * i + 2] & 0xff;
        boolean blue = b > r + 40 && b > g + 40;
        anyBlue |= blue;
        if (labels[i] != BACKGROUND) {
          assertTrue(!blue, "example " + k + " pixel " + i + " is labelled " + labels[i] + " but shows the background ("
              + r + "," + g + "," + b + ")");
        }
        if (blue) {
          assertEquals(BACKGROUND, labels[i], "example " + k + " pixel " + i);
        }
      }
      pasted += anyBlue ? 1 : 0;
    }
    // paste and zoom-out each take half the examples: about 3/4 show the background
    assertTrue(pasted > EXAMPLES / 2 && pasted < EXAMPLES, pasted + " of " + EXAMPLES + " examples on the background");
  }

  @Test
  void pasteKeepsThePetsLabelsAndReplacesItsBackground() {
    Example pair = petSquare(64, 64, 16, 16, 32);
    int replaced = 0;
    for (long k = 0; k < EXAMPLES; k++) {
      Example basic = draw(pair, k, Augmentations.BASIC, BLUE, 64, 64);
      Example pasted = draw(pair, k, Augmentations.parse("paste"), BLUE, 64, 64);
      // paste alone keeps the crop and the frame: the same labels, only background pixels may change
      assertArrayEquals(basic.truth().labels(), pasted.truth().labels(), "labels of example " + k);
      boolean changed = !java.util.Arrays.equals(basic.image().rgb(), pasted.image().rgb());
      replaced += changed ? 1 : 0;
      for (int i = 0; changed && i < basic.truth().labels().length; i++) {
        if (basic.truth().labels()[i] != BACKGROUND) {
          for (int c = 0; c < 3; c++) {
            assertEquals(basic.image().rgb()[3 * i + c], pasted.image().rgb()[3 * i + c], "pet pixel " + i);
          }
        }
      }
    }
    assertTrue(replaced > EXAMPLES / 4 && replaced < 3 * EXAMPLES / 4, replaced + " of " + EXAMPLES + " pasted");
  }

  @Test
  void cameraChangesPixelsButNotLabels() {
    Example pair = petSquare(80, 80, 20, 20, 40);
    int changed = 0;
    for (long k = 0; k < 60; k++) {
      Example basic = draw(pair, k, Augmentations.BASIC, null, 48, 48);
      Example camera = draw(pair, k, Augmentations.parse("camera"), null, 48, 48);
      assertArrayEquals(basic.truth().labels(), camera.truth().labels(), "labels of example " + k);
      changed += java.util.Arrays.equals(basic.image().rgb(), camera.image().rgb()) ? 0 : 1;
    }
    // blur, JPEG and noise each on half: all three off on about 1 in 8
    assertTrue(changed > 40, changed + " of 60 examples changed by the camera");
  }

  @Test
  void theSameSeedAndIndexGiveTheSameExample() {
    Example pair = petSquare(90, 70, 10, 10, 40);
    BackgroundPool pool = BackgroundPool.of(List.of(pair, petSquare(90, 70, 50, 30, 30)), BACKGROUND, List.of());
    for (long k = 0; k < 20; k++) {
      Example a = draw(pair, k, Augmentations.ALL, pool, 56, 40);
      Example b = draw(pair, k, Augmentations.ALL, pool, 56, 40);
      assertArrayEquals(a.image().rgb(), b.image().rgb(), "image of example " + k);
      assertArrayEquals(a.truth().labels(), b.truth().labels(), "labels of example " + k);
    }
  }
}
