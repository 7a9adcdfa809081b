package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;

class BenchTrackCommandTest {
  @TempDir Path dir;

  @Test
  void printsTheCostPerFrameAndTheIdentityOfEachSceneAndWritesTheScenes() throws Exception {
    SegstreamCliTest.Run r = SegstreamCliTest.run("bench", "track", "--width", "320", "--height", "180", "--passes", "1",
        "--warmup", "0", "--write-scenes", dir.toString());
    assertEquals(0, r.exitCode(), r.err());
    for (String scene : new String[] {"crossing", "occlusion", "leave-and-return"}) {
      Matcher m = Pattern.compile("(?m)^" + Pattern.quote(scene) + "\\s+90\\s+([0-9.]+)\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+\\s+(\\d+) / (\\d+), (\\d+), ([0-9.]+)")
          .matcher(r.out());
      assertTrue(m.find(), "no line for " + scene + " in:\n" + r.out());
      assertTrue(Double.parseDouble(m.group(1)) > 0, r.out());
      assertTrue(Integer.parseInt(m.group(2)) <= Integer.parseInt(m.group(3)), "at most one ID switch per crossing:\n" + r.out());
      assertTrue(Double.parseDouble(m.group(5)) > 0.85, "IDF1 on exact masks:\n" + r.out());
      Path ids = dir.resolve(scene).resolve("ids").resolve("00045.png");
      LabelMap idMap = ImageCodec.decodePngGray(Files.readAllBytes(ids));
      assertEquals(320, idMap.width());
      assertTrue(Files.isRegularFile(dir.resolve(scene).resolve("frames").resolve("00089.jpg")));
      assertTrue(Files.isRegularFile(dir.resolve(scene).resolve("masks").resolve("00000.png")));
    }
    assertTrue(r.out().contains("busy-8-objects"), r.out());
  }

  @Test
  void rejectsZeroPasses() {
    SegstreamCliTest.Run r = SegstreamCliTest.run("bench", "track", "--passes", "0");
    assertEquals(ExitCodes.USAGE, r.exitCode());
    assertTrue(r.err().contains("passes"), r.err());
  }
}
