package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.image.ImageCodec;

class TailCommandTest {
  @TempDir Path dir;

  @Test
  void describesAResultOnOneLine() {
    assertEquals("cam-1 seq=12 latency=143ms 4x2 pet=25.0% background=62.5% border=12.5% contours=1",
        TailCommand.describe(TailResults.result("cam-1", 12, 1_000_000, 143, TailResults.labels(1))));
  }

  @Test
  void describesEndOfStream() {
    assertEquals("cam-1 seq=149 end-of-stream", TailCommand.describe(TailResults.endOfStream("cam-1", 149)));
  }

  @ParameterizedTest
  @CsvSource({"cat, 7, cat-000007.png", "cam/1:a, 123456, cam_1_a-123456.png", "x, 1234567, x-1234567.png"})
  void namesPngFiles(String stream, long sequence, String expected) {
    assertEquals(expected, TailCommand.pngName(stream, sequence));
  }

  @Test
  void savesTheLabelMapAsPublished() throws Exception {
    var map = TailResults.labels(2);
    Path file = TailCommand.saveLabelMap(dir, TailResults.result("cat", 3, 0, 10, map));
    assertEquals(dir.resolve("cat-000003.png"), file);
    assertArrayEquals(map.labels(), ImageCodec.decodePngGray(Files.readAllBytes(file)).labels());
  }
}
