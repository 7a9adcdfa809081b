package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench soak} refuses settings that leave nothing to judge, before starting anything. */
class BenchSoakCommandTest {
  @TempDir Path dir;

  private String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SegstreamCli.execute(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    return new String[] {String.valueOf(code), err.toString()};
  }

  @Test
  void warmUpLongerThanTheRunIsAUsageError() throws Exception {
    Path clip = Files.write(dir.resolve("clip.mp4"), new byte[] {1});
    String[] r = run("bench", "soak", "--input", clip.toString(), "--minutes", "1", "--warmup-minutes", "2");
    assertEquals("2", r[0], r[1]);
    assertTrue(r[1].contains("--warmup-minutes"), r[1]);
  }

  @Test
  void missingInputIsAUsageError() {
    String[] r = run("bench", "soak", "--input", dir.resolve("none.mp4").toString(), "--minutes", "1");
    assertEquals("2", r[0], r[1]);
    assertTrue(r[1].contains("none.mp4"), r[1]);
  }
}
