package org.segstream.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageCodecTest {

  /** Smooth gradients with a block of pure red, so colour order mistakes and blockiness both show. */
  static RgbImage testImage(int w, int h) {
    RgbImage image = RgbImage.blank(w, h);
    byte[] rgb = image.rgb();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = 3 * (y * w + x);
        boolean red = x < w / 3 && y < h / 3;
        rgb[i] = (byte) (red ? 255 : 255 * x / w);
        rgb[i + 1] = (byte) (red ? 0 : 255 * y / h);
        rgb[i + 2] = (byte) (red ? 0 : 128);
      }
    }
    return image;
  }

  static double meanAbsDiff(RgbImage a, RgbImage b) {
    long sum = 0;
    for (int i = 0; i < a.rgb().length; i++) {
      sum += Math.abs((a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff));
    }
    return (double) sum / a.rgb().length;
  }

  @ParameterizedTest
  @ValueSource(ints = {50, 90})
  void jpegRoundTripKeepsSizeColourOrderAndIsClose(int quality) {
    RgbImage image = testImage(97, 64);
    byte[] jpeg = ImageCodec.encodeJpeg(image, quality);
    assertEquals(0xFF, jpeg[0] & 0xff);
    assertEquals(0xD8, jpeg[1] & 0xff);
    RgbImage back = ImageCodec.decode(jpeg);
    assertEquals(97, back.width());
    assertEquals(64, back.height());
    assertTrue(meanAbsDiff(image, back) < (quality >= 90 ? 2.0 : 4.0), "mean error " + meanAbsDiff(image, back));
    // inside the red block: red stays red (a BGR/RGB swap would make it blue)
    assertTrue(back.get(10, 10, 0) > 230 && back.get(10, 10, 2) < 25, "pixel " + back.get(10, 10, 0) + "," + back.get(10, 10, 2));
  }

  @Test
  void higherQualityIsLargerAndCloser() {
    RgbImage image = testImage(160, 120);
    byte[] low = ImageCodec.encodeJpeg(image, 30);
    byte[] high = ImageCodec.encodeJpeg(image, 95);
    assertTrue(low.length < high.length);
    assertTrue(meanAbsDiff(image, ImageCodec.decode(high)) < meanAbsDiff(image, ImageCodec.decode(low)));
  }

  @Test
  void pngLabelMapRoundTripIsExact() {
    Random random = new Random(7);
    byte[] labels = new byte[123 * 45];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = (byte) random.nextInt(3);
    }
    labels[0] = (byte) 255;
    LabelMap map = new LabelMap(123, 45, labels);
    byte[] png = ImageCodec.encodePngGray(map);
    assertEquals(0x89, png[0] & 0xff);
    assertEquals('P', png[1]);
    LabelMap back = ImageCodec.decodePngGray(png);
    assertEquals(123, back.width());
    assertEquals(45, back.height());
    assertArrayEquals(labels, back.labels());
  }

  @Test
  void decodeReadsPngByContentToo() {
    LabelMap map = new LabelMap(3, 2, new byte[] {0, 50, 100, (byte) 150, (byte) 200, (byte) 250});
    RgbImage rgb = ImageCodec.decode(ImageCodec.encodePngGray(map));
    assertEquals(3, rgb.width());
    assertEquals(2, rgb.height());
    assertEquals(150, rgb.get(0, 1, 0));
    assertEquals(150, rgb.get(0, 1, 2));
  }

  @Test
  void undecodableBytesFailClearly() {
    byte[] junk = new byte[500];
    new Random(1).nextBytes(junk);
    junk[0] = 0x12;
    ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageCodec.decode(junk));
    assertTrue(e.getMessage().contains("500 bytes"), e.getMessage());
    assertThrows(ImageDecodeException.class, () -> ImageCodec.decode(new byte[0]));
    assertThrows(ImageDecodeException.class, () -> ImageCodec.decodePngGray(junk));
    // a truncated JPEG is not an image either
    byte[] jpeg = ImageCodec.encodeJpeg(testImage(64, 64), 90);
    byte[] truncated = java.util.Arrays.copyOf(jpeg, 20);
    assertThrows(ImageDecodeException.class, () -> ImageCodec.decode(truncated));
  }

  @Test
  void colourPngIsNotALabelMap() {
    byte[] colour = ImageCodec.encodeJpeg(testImage(8, 8), 90);
    ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageCodec.decodePngGray(colour));
    assertTrue(e.getMessage().contains("single-channel"), e.getMessage());
  }

  @Test
  void resizeBilinearStretchesAndInterpolates() {
    // 2x1: black | white → 4x2: the middle pixels are between
    RgbImage small = new RgbImage(2, 1, new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
    RgbImage big = ImageCodec.resizeBilinear(small, 4, 2);
    assertEquals(4, big.width());
    assertEquals(2, big.height());
    assertEquals(0, big.get(0, 0, 0));
    assertEquals(255, big.get(3, 1, 1));
    int mid = big.get(1, 0, 0);
    assertTrue(mid > 0 && mid < 255, "interpolated " + mid);
    RgbImage image = testImage(200, 100);
    RgbImage down = ImageCodec.downscale(image, 100, 50);
    assertEquals(100, down.width());
    assertTrue(meanAbsDiff(ImageCodec.resizeBilinear(image, 100, 50), down) < 3);
  }

  @Test
  void framesConvertFromBothChannelOrders() {
    RgbImage image = testImage(5, 3);
    // a frame with padded rows (stride 20 > 15) as FFmpeg often hands out
    try (Frame rgbFrame = new Frame(5, 3, Frame.DEPTH_UBYTE, 3, 20);
        Frame bgrFrame = new Frame(5, 3, Frame.DEPTH_UBYTE, 3, 20)) {
      java.nio.ByteBuffer rgb = (java.nio.ByteBuffer) rgbFrame.image[0];
      java.nio.ByteBuffer bgr = (java.nio.ByteBuffer) bgrFrame.image[0];
      for (int y = 0; y < 3; y++) {
        for (int x = 0; x < 5; x++) {
          for (int c = 0; c < 3; c++) {
            rgb.put(y * 20 + 3 * x + c, (byte) image.get(x, y, c));
            bgr.put(y * 20 + 3 * x + c, (byte) image.get(x, y, 2 - c));
          }
        }
      }
      assertArrayEquals(image.rgb(), ImageCodec.fromRgb24Frame(rgbFrame).rgb());
      assertArrayEquals(image.rgb(), ImageCodec.fromBgr24Frame(bgrFrame).rgb());
    }
  }
}
