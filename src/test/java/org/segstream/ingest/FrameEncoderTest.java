package org.segstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.segstream.image.ImageCodec;
import org.segstream.image.RgbImage;

class FrameEncoderTest {

  /** Noise compresses badly: the worst case for a size limit. */
  static RgbImage noise(int w, int h) {
    byte[] rgb = new byte[3 * w * h];
    new Random(3).nextBytes(rgb);
    return new RgbImage(w, h, rgb);
  }

  @Test
  void keepsQualityAndSizeWhenTheFrameFits() {
    RgbImage image = noise(64, 48);
    FrameEncoder.Encoded e = FrameEncoder.encodeWithin(image, 90, 1_000_000);
    assertFalse(e.reencoded());
    assertEquals(90, e.quality());
    assertEquals(image, e.image());
  }

  @Test
  void lowersQualityBeforeShrinking() {
    RgbImage image = noise(160, 120);
    int atQ90 = ImageCodec.encodeJpeg(image, 90).length;
    int atQ60 = ImageCodec.encodeJpeg(image, 60).length;
    FrameEncoder.Encoded e = FrameEncoder.encodeWithin(image, 90, (atQ90 + atQ60) / 2);
    assertTrue(e.reencoded());
    assertTrue(e.quality() < 90 && e.quality() >= FrameEncoder.MIN_QUALITY, "quality " + e.quality());
    assertEquals(160, e.image().width(), "same size, lower quality");
    assertTrue(e.jpeg().length <= (atQ90 + atQ60) / 2);
  }

  @Test
  void shrinksWhenTheLowestQualityIsStillTooLarge() {
    RgbImage image = noise(320, 240);
    int budget = ImageCodec.encodeJpeg(image, FrameEncoder.MIN_QUALITY).length / 4;
    FrameEncoder.Encoded e = FrameEncoder.encodeWithin(image, 90, budget);
    assertTrue(e.reencoded());
    assertEquals(FrameEncoder.MIN_QUALITY, e.quality());
    assertTrue(e.image().width() < 320 && e.image().height() < 240);
    assertEquals(320.0 / 240, (double) e.image().width() / e.image().height(), 0.05, "aspect ratio kept");
    assertTrue(e.jpeg().length <= budget);
    assertEquals(e.image().width(), ImageCodec.decode(e.jpeg()).width());
  }

  @Test
  void saysSoWhenNothingFits() {
    assertNull(FrameEncoder.encodeWithin(noise(200, 200), 90, 200));
  }
}
