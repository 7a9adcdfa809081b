package org.segstream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.ingest.FileSource;
import org.segstream.ingest.FrameReader;

/** {@code segstream demo} as a newcomer runs it: the built jar, embedded defaults, nothing else. */
class DemoIT {
  @TempDir Path dir;

  @Test
  void demoRunsEndToEndWithAccurateMasks() throws Exception {
    Path out = dir.resolve("demo");
    Path log = dir.resolve("demo.log");
    ProcessBuilder pb =
        new ProcessBuilder(CrashRecoveryIT.javaBin(), "-jar", CrashRecoveryIT.jar(), "demo", "--out", out.toString(),
                // a fixed step count, not a time budget: the model must not depend on the machine's speed
                "--train-steps", "600")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // the demo model is cached inside the build, not in the user's home
    pb.environment().put("SEGSTREAM_CACHE_DIR", Path.of("target", "demo-cache").toAbsolutePath().toString());
    Process demo = pb.start();
    boolean finished = demo.waitFor(10, TimeUnit.MINUTES);
    if (!finished) {
      demo.destroyForcibly();
    }
    String output = Files.readString(log);
    assertTrue(finished, "the demo finishes within 10 minutes:\n" + output);
    assertEquals(0, demo.exitValue(), output);

    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertEquals(300, report.get("framesIn").asLong(), output);
    assertEquals(300, report.get("resultsOut").asLong(), "frames in = results out");
    assertEquals(0, report.get("deadLetters").asLong());
    assertTrue(report.get("endOfStream").asBoolean());
    double miou = report.get("accuracy").get("mIoU").asDouble();
    assertTrue(miou >= 0.8, "demo mIoU " + miou + " >= 0.8");
    assertTrue(report.get("latencyMs").get("p50").asDouble() > 0);
    assertTrue(Files.readString(out.resolve("report.md")).contains("mIoU"));
    assertTrue(output.contains("mIoU"), "the summary is printed");

    int frames = 0;
    try (FrameReader reader = new FileSource(out.resolve("overlay.mp4")).open()) {
      while (reader.next() != null) {
        frames++;
      }
      assertEquals(640, reader.width());
    }
    assertEquals(300, frames, "the overlay video decodes, one frame per frame of the clip (a skipped one plain)");
  }

}
