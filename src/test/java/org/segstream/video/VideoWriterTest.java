package org.segstream.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.image.ImageCodec;
import org.segstream.image.RgbImage;

public class VideoWriterTest {
  @TempDir Path dir;

  /** Frame i: a grey level that names i plus a moving bright square, so order and motion both show. */
  static RgbImage numberedFrame(int i, int w, int h) {
    RgbImage image = RgbImage.blank(w, h);
    byte[] rgb = image.rgb();
    int level = 20 + 8 * i;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = 3 * (y * w + x);
        boolean square = x >= 2 * i && x < 2 * i + 16 && y >= 8 && y < 24;
        rgb[p] = (byte) (square ? 250 : level);
        rgb[p + 1] = (byte) (square ? 250 : level);
        rgb[p + 2] = (byte) (square ? 30 : level);
      }
    }
    return image;
  }

  public static List<RgbImage> readBack(Path file) throws Exception {
    List<RgbImage> frames = new ArrayList<>();
    try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
      grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
      grabber.start();
      Frame f;
      while ((f = grabber.grabImage()) != null) {
        frames.add(ImageCodec.fromRgb24Frame(f));
      }
    }
    return frames;
  }

  @Test
  void mp4DecodesBackWithEveryFrameInOrder() throws Exception {
    Path file = dir.resolve("clip.mp4");
    int n = 20;
    try (VideoWriter writer = VideoWriter.open(file, 96, 64, 25)) {
      for (int i = 0; i < n; i++) {
        writer.write(numberedFrame(i, 96, 64));
      }
      assertEquals(n, writer.framesWritten());
      System.out.println("VideoWriter codec: " + writer.codec());
    }
    List<RgbImage> frames = readBack(file);
    assertEquals(n, frames.size());
    for (int i = 0; i < n; i++) {
      RgbImage f = frames.get(i);
      assertEquals(96, f.width());
      assertEquals(64, f.height());
      int level = 20 + 8 * i;
      assertTrue(Math.abs(f.get(90, 60, 1) - level) <= 6, "frame " + i + " level " + f.get(90, 60, 1) + " vs " + level);
    }
  }

  @Test
  void mpeg4FallbackWritesADecodableMp4() throws Exception {
    Path file = dir.resolve("mpeg4.mp4");
    try (VideoWriter writer = VideoWriter.open(file, 64, 48, 10, List.of(VideoWriter.Codec.MPEG4))) {
      assertEquals(VideoWriter.Codec.MPEG4, writer.codec());
      for (int i = 0; i < 5; i++) {
        writer.write(numberedFrame(i, 64, 48));
      }
    }
    assertEquals(5, readBack(file).size());
  }

  @Test
  void losslessVideoDecodesBitExactly() throws Exception {
    Path file = dir.resolve("clip.mkv");
    List<RgbImage> written = new ArrayList<>();
    try (VideoWriter writer = VideoWriter.openLossless(file, 62, 38, 30)) {
      for (int i = 0; i < 6; i++) {
        RgbImage image = numberedFrame(i, 62, 38);
        written.add(image);
        writer.write(image);
      }
    }
    List<RgbImage> frames = readBack(file);
    assertEquals(written.size(), frames.size());
    for (int i = 0; i < frames.size(); i++) {
      assertArrayEquals(written.get(i).rgb(), frames.get(i).rgb(), "frame " + i);
    }
  }

  @Test
  void wrongSizesFailClearly() {
    assertThrows(IllegalArgumentException.class, () -> VideoWriter.open(dir.resolve("odd.mp4"), 63, 48, 10));
    try (VideoWriter writer = VideoWriter.open(dir.resolve("x.mp4"), 64, 48, 10)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> writer.write(RgbImage.blank(32, 32)));
      assertTrue(e.getMessage().contains("64x48"), e.getMessage());
    }
  }
}
