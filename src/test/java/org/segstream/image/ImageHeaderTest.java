package org.segstream.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.segstream.image.ImageHeader.Format;
import org.segstream.testing.BadImages;

class ImageHeaderTest {

  static Stream<Arguments> headers() {
    return Stream.of(
        Arguments.of("JPEG from OpenCV", BadImages.jpeg(97, 64), Format.JPEG, 97, 64),
        Arguments.of("PNG from OpenCV", BadImages.png(33, 21), Format.PNG, 33, 21),
        Arguments.of("JPEG declaring 30000x30000", BadImages.jpegDeclaring(30000, 30000), Format.JPEG, 30000, 30000),
        Arguments.of("JPEG declaring 65535x65535", BadImages.jpegDeclaring(65535, 65535), Format.JPEG, 65535, 65535),
        Arguments.of("PNG declaring 30000x30000", BadImages.pngDeclaring(30000, 30000), Format.PNG, 30000, 30000),
        Arguments.of("BMP", bmp(640, -480), Format.BMP, 640, 480),
        Arguments.of("GIF", gif(320, 200), Format.GIF, 320, 200),
        Arguments.of("WebP VP8X", webpVp8x(4000, 3000), Format.WEBP, 4000, 3000));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("headers")
  void readsTheDeclaredSizeWithoutDecoding(String name, byte[] data, Format format, int width, int height) {
    ImageHeader header = ImageHeader.read(data);
    assertEquals(new ImageHeader(format, width, height), header);
    assertEquals((long) width * height, header.pixels());
  }

  static Stream<Arguments> refused() {
    byte[] jpeg = BadImages.jpeg(97, 64);
    byte[] png = BadImages.png(97, 64);
    return Stream.of(
        Arguments.of("empty", new byte[0], "0 bytes"),
        Arguments.of("text", "not an image at all".getBytes(StandardCharsets.UTF_8), "not a JPEG, PNG, BMP, GIF or WebP"),
        Arguments.of("JPEG cut in half", BadImages.truncated(jpeg, 0.5), "truncated JPEG"),
        Arguments.of("JPEG cut inside its headers", Arrays.copyOf(jpeg, 40), "truncated or corrupt JPEG"),
        Arguments.of("JPEG without a frame header", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9}, "without a frame header"),
        Arguments.of("JPEG declaring 0 rows", BadImages.jpegDeclaring(64, 0), "64x0"),
        Arguments.of("PNG cut in half", BadImages.truncated(png, 0.5), "truncated PNG"),
        Arguments.of("PNG signature only", BadImages.truncated(png, 8.0 / png.length), "no IHDR"),
        Arguments.of("PNG declaring width 0", BadImages.pngDeclaring(0, 10), "0x10"),
        Arguments.of("PNG declaring 2^31 columns", BadImages.pngDeclaring(Integer.MIN_VALUE, 10), "2147483648x10"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusesWhatIsNotAWholeImage(String name, byte[] data, String messagePart) {
    ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageHeader.read(data));
    assertTrue(e.getMessage().contains(messagePart), e.getMessage());
  }

  @Test
  void aWholeImageStillDecodesToTheSizeItsHeaderSays() {
    byte[] jpeg = BadImages.jpeg(97, 64);
    ImageHeader header = ImageHeader.read(jpeg);
    RgbImage image = ImageCodec.decode(jpeg);
    assertEquals(header.width(), image.width());
    assertEquals(header.height(), image.height());
  }

  private static byte[] bmp(int width, int height) {
    byte[] d = new byte[54];
    d[0] = 'B';
    d[1] = 'M';
    putLe(d, 10, 54);
    putLe(d, 14, 40);
    putLe(d, 18, width);
    putLe(d, 22, height);
    return d;
  }

  private static byte[] gif(int width, int height) {
    byte[] d = "GIF89a\0\0\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
    d[6] = (byte) width;
    d[7] = (byte) (width >>> 8);
    d[8] = (byte) height;
    d[9] = (byte) (height >>> 8);
    return d;
  }

  private static byte[] webpVp8x(int width, int height) {
    byte[] d = new byte[30];
    System.arraycopy("RIFF".getBytes(StandardCharsets.US_ASCII), 0, d, 0, 4);
    putLe(d, 4, 22);
    System.arraycopy("WEBPVP8X".getBytes(StandardCharsets.US_ASCII), 0, d, 8, 8);
    putLe(d, 16, 10);
    int w = width - 1;
    int h = height - 1;
    d[24] = (byte) w;
    d[25] = (byte) (w >>> 8);
    d[26] = (byte) (w >>> 16);
    d[27] = (byte) h;
    d[28] = (byte) (h >>> 8);
    d[29] = (byte) (h >>> 16);
    return d;
  }

  private static void putLe(byte[] d, int at, int v) {
    for (int i = 0; i < 4; i++) {
      d[at + i] = (byte) (v >>> (8 * i));
    }
  }
}
