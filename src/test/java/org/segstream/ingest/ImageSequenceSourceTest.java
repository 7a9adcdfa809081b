package org.segstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.image.ImageCodec;
import org.segstream.image.RgbImage;

class ImageSequenceSourceTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"00000.jpg, 0", "00042.png, 42", "frame_12.jpg, 12", "cam2_frame0007.jpg, 7", "still.jpg, -1"})
  void frameNumberIsTheLastNumberOfTheName(String name, long expected) {
    OptionalLong n = ImageSequenceSource.frameNumber(Path.of(name));
    assertEquals(expected, n.orElse(-1));
  }

  @Test
  void framesComeInNumberOrderWithTheirPresentationTimes() throws Exception {
    // 2 before 10 (numeric, not lexical order); files that are not images are ignored
    for (int i : new int[] {10, 2, 1}) {
      Files.write(dir.resolve("frame_" + i + ".png"), ImageCodec.encodePngGray(new org.segstream.image.LabelMap(4, 2, new byte[8])));
    }
    Files.writeString(dir.resolve("notes.txt"), "not a frame");
    ImageSequenceSource source = new ImageSequenceSource(dir, 25);
    assertEquals(List.of("frame_1.png", "frame_2.png", "frame_10.png"), source.frames().stream().map(p -> p.getFileName().toString()).toList());
    try (FrameReader reader = source.open()) {
      assertEquals(4, reader.width());
      assertEquals(25, reader.frameRate());
      long[] pts = new long[3];
      for (int i = 0; i < 3; i++) {
        CapturedFrame f = reader.next();
        RgbImage image = f.image();
        assertEquals(4, image.width());
        assertEquals(2, image.height());
        pts[i] = f.captureTimeUs();
      }
      assertEquals(List.of(0L, 40_000L, 80_000L), List.of(pts[0], pts[1], pts[2]));
      assertNull(reader.next());
    }
  }

  @Test
  void unreadableFrameAndEmptyDirectoryNameTheProblem() throws Exception {
    IngestException empty = assertThrows(IngestException.class, () -> new ImageSequenceSource(dir, 24).open());
    assertTrue(empty.getMessage().contains("holds no images"), empty.getMessage());
    Files.writeString(dir.resolve("00000.jpg"), "not a jpeg");
    IngestException bad = assertThrows(IngestException.class, () -> new ImageSequenceSource(dir, 24).open());
    assertTrue(bad.getMessage().contains("00000.jpg"), bad.getMessage());
  }
}
