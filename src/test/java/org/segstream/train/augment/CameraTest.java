package org.segstream.train.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.segstream.image.RgbImage;

class CameraTest {
  /** Left half white, right half black: a vertical edge at x = 20. */
  private static RgbImage edge() {
    byte[] rgb = new byte[3 * 40 * 40];
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 20; x++) {
        for (int c = 0; c < 3; c++) {
          rgb[3 * (y * 40 + x) + c] = (byte) 255;
        }
      }
    }
    return new RgbImage(40, 40, rgb);
  }

  @Test
  void motionBlurSmearsAnEdgeAlongItsDirectionOnly() {
    RgbImage edge = edge();
    RgbImage across = Camera.motionBlur(edge, 9, 0);
    assertTrue(across.get(18, 10, 0) < 255 && across.get(18, 10, 0) > 128, "inside: " + across.get(18, 10, 0));
    assertTrue(across.get(21, 10, 0) > 0 && across.get(21, 10, 0) < 128, "outside: " + across.get(21, 10, 0));
    assertEquals(255, across.get(10, 10, 0), "far from the edge nothing changes");
    RgbImage along = Camera.motionBlur(edge, 9, Math.PI / 2);
    assertEquals(255, along.get(19, 10, 0), "a blur along the edge leaves it sharp");
    assertEquals(0, along.get(20, 10, 0), "a blur along the edge leaves it sharp");
  }

  @Test
  void jpegAtLowQualityLosesDetailAndNoiseSpreadsValues() {
    RgbImage edge = edge();
    RgbImage jpeg = Camera.jpeg(edge, 20);
    assertEquals(40, jpeg.width());
    int ringing = 0;
    for (int x = 12; x < 28; x++) {
      ringing += Math.abs(jpeg.get(x, 10, 1) - edge.get(x, 10, 1));
    }
    assertTrue(ringing > 0, "quality 20 changes pixels near the edge");
    RgbImage noisy = Camera.noise(edge, 8, new SplittableRandom(1));
    double sum = 0;
    for (int x = 20; x < 40; x++) {
      sum += noisy.get(x, 10, 0);
    }
    assertTrue(sum > 0, "noise lifts black pixels");
  }
}
