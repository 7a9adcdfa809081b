package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.testing.SharedData;

/** The output and exit codes of {@code segstream bench crf} (no timing is asserted). */
class BenchCrfCommandTest {

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = SegstreamCli.execute(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    return new String[] {Integer.toString(rc), out.toString(), err.toString()};
  }

  @Test
  void printsOneRowPerSizeAndParameterSetAndSaysWhenTheOriginalDidNotRun() {
    Path dir = SharedData.path("crf-reference");
    String[] r = run("bench", "crf", "--repeat", "1", "--warmup", "0", "--reference-dir", dir.toString());
    assertEquals("0", r[0], r[2]);
    String out = r[1];
    assertTrue(out.contains("5 iterations"), out);
    for (String size : new String[] {"160x160", "320x240", "640x480"}) {
      for (String params : new String[] {"reference", "tuned"}) {
        assertEquals(1, out.lines().filter(l -> l.startsWith(size) && l.contains(" " + params + " ") && l.endsWith("-")).count(),
            () -> size + " " + params + ":\n" + out);
      }
    }
    assertTrue(out.contains("original: not timed (give --reference-tool"), out);
  }

  /** The original C++ code is built and run on the same inputs: ours gives its labels. */
  @Test
  void timesTheOriginalInTheSameRunAndAgreesWithItsLabels() {
    SharedData.tool("g++");
    SharedData.installed("/usr/include/eigen3", "libeigen3-dev");
    Path tool = SharedData.toolSource("densecrf-reference");
    String[] r = run("bench", "crf", "--repeat", "1", "--warmup", "0", "--params", "reference", "--reference-dir",
        SharedData.path("crf-reference").toString(), "--reference-tool", tool.toString());
    assertEquals("0", r[0], r[2]);
    List<String> rows = r[1].lines().filter(l -> l.matches("^\\d+x\\d+ .*")).toList();
    assertEquals(3, rows.size(), r[1]);
    for (String row : rows) {
      String[] cells = row.trim().split("\\s+");
      double same = Double.parseDouble(cells[cells.length - 1]);
      assertTrue(same >= 0.9999, () -> "labels as the original's: " + row);
      assertTrue(cells[cells.length - 2].endsWith("x") && Double.parseDouble(cells[cells.length - 2].replace("x", "")) > 0, row);
    }
    assertTrue(r[1].contains("original = the C++ DenseCRF 2.2"), r[1]);
  }

  @Test
  void aSourceFolderWithoutBuildScriptIsAUsageErrorNamingIt(@TempDir Path empty) {
    String[] r = run("bench", "crf", "--repeat", "1", "--warmup", "0", "--params", "tuned", "--reference-dir",
        SharedData.path("crf-reference").toString(), "--reference-tool", empty.toString());
    assertEquals(Integer.toString(ExitCodes.USAGE), r[0], r[1] + r[2]);
    assertTrue(r[2].contains(empty.toString()) && r[2].contains("build.sh"), r[2]);
  }

  @Test
  void aPhotoGetsItsOwnRowAtTheRefineSize() {
    Path dir = SharedData.path("crf-reference");
    Path photo = SharedData.path("oxford-pets/images/Abyssinian_1.jpg");
    String[] r = run("bench", "crf", "--repeat", "1", "--warmup", "0", "--reference-dir", dir.toString(), "--image",
        photo.toString());
    assertEquals("0", r[0], r[2]);
    // 600x400 scaled to the refine size, 224 on the long side; no reference time for it
    assertTrue(r[1].lines().anyMatch(l -> l.startsWith("224x149") && l.contains("Abyssinian_1.jpg") && l.endsWith("-")), r[1]);
    assertTrue(r[1].lines().anyMatch(l -> l.startsWith("224x149") && l.contains("taking turns: Abyssinian_1.jpg")), r[1]);
    assertTrue(r[1].lines().anyMatch(l -> l.startsWith("320x240") && l.contains("taking turns: 320x240")), r[1]);
  }

  @Test
  void anUndecodablePhotoIsAUsageErrorNamingIt(@TempDir Path tmp) throws Exception {
    Path notAPhoto = java.nio.file.Files.writeString(tmp.resolve("notes.jpg"), "not a picture");
    String[] r = run("bench", "crf", "--repeat", "1", "--warmup", "0", "--reference-dir",
        SharedData.path("crf-reference").toString(), "--image", notAPhoto.toString());
    assertEquals(Integer.toString(ExitCodes.USAGE), r[0]);
    assertTrue(r[2].contains("notes.jpg") && r[2].contains("decoded"), r[2]);
  }

  @Test
  void missingReferenceScenesAreAUsageErrorNamingTheDirectory(@TempDir Path empty) {
    String[] r = run("bench", "crf", "--reference-dir", empty.toString());
    assertEquals(Integer.toString(ExitCodes.USAGE), r[0]);
    assertTrue(r[2].contains(empty.toString()) && r[2].contains("--reference-dir"), r[2]);
  }

  /** --threads N adds one frame split over N threads, timed taking turns with the one-thread runs. */
  @Test
  void severalThreadsGetTheirOwnColumn() {
    String[] r = run("bench", "crf", "--repeat", "1", "--warmup", "0", "--params", "tuned", "--threads", "2",
        "--reference-dir", SharedData.path("crf-reference").toString());
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].lines().anyMatch(l -> l.startsWith("size") && l.contains("2 threads")), r[1]);
    List<String> rows = r[1].lines().filter(l -> l.matches("^\\d+x\\d+ .*")).toList();
    assertEquals(3, rows.size(), r[1]);
    for (String row : rows) {
      String[] cells = row.trim().split("\\s+");
      assertEquals("-", cells[cells.length - 1], row); // no original, no speed-up
      assertTrue(Double.parseDouble(cells[cells.length - 3]) > 0 && cells[cells.length - 2].equals("ms"), row);
    }
    String[] zero = run("bench", "crf", "--threads", "0");
    assertEquals(Integer.toString(ExitCodes.USAGE), zero[0]);
    assertTrue(zero[2].contains("threads"), zero[2]);
  }

  @Test
  void zeroIterationsIsAUsageError() {
    String[] r = run("bench", "crf", "--iterations", "0");
    assertEquals(Integer.toString(ExitCodes.USAGE), r[0]);
    assertTrue(r[2].contains("iterations"), r[2]);
  }
}
