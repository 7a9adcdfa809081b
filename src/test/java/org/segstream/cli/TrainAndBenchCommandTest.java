package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.model.ModelMetadata;

class TrainAndBenchCommandTest {
  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = SegstreamCli.execute(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(rc, out.toString(), err.toString());
  }

  @Test
  void trainsThenBenchmarksAModel(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("model");
    Run train = run("train", "--synthetic", "--arch", "unet-small", "--out", dir.toString(), "--steps", "3",
        "--input-size", "40x32", "--validation-count", "2", "--bench-seconds", "0.2", "--seed", "9");
    assertEquals(ExitCodes.OK, train.exitCode(), train.err());
    assertTrue(train.out().contains("model      " + dir), train.out());
    assertTrue(train.out().contains("trained    steps 1-3 x 8 images at 40x32"), train.out());
    assertTrue(train.err().contains("3/3  step 3"), "progress bar on stderr: " + train.err());
    ModelMetadata m = ModelMetadata.read(dir.resolve(ModelMetadata.FILE_NAME));
    assertEquals(40, m.inputWidth());
    assertEquals(32, m.inputHeight());
    assertTrue(m.command().startsWith("segstream train --synthetic"), m.command());

    Run bench = run("bench", "model", "--model", dir.toString(), "--batches", "1,2", "--seconds", "0.2");
    assertEquals(ExitCodes.OK, bench.exitCode(), bench.err());
    List<String> rows = bench.out().lines().filter(l -> l.matches("\\s+\\d+\\s+[0-9.]+\\s+.*")).toList();
    assertEquals(2, rows.size(), bench.out());
    assertTrue(rows.get(0).strip().startsWith("1 ") && rows.get(1).strip().startsWith("2 "), bench.out());
    assertTrue(bench.out().contains(String.format("%,d parameters", m.parameters())), bench.out());
    assertTrue(bench.out().contains("input 40x32 (stretched)"), bench.out());
    assertTrue(bench.out().contains("frame     640x360, fed at 40x32"), "a stretching model runs at its fixed size: " + bench.out());
  }

  @Test
  void benchOfAMissingModelNamesTheDirectory(@TempDir Path tmp) {
    Path missing = tmp.resolve("nothing-here");
    Run r = run("bench", "model", "--model", missing.toString(), "--seconds", "0.1");
    assertEquals(ExitCodes.RUNTIME_FAILURE, r.exitCode());
    assertTrue(r.err().startsWith("segstream: model directory " + missing), r.err());
  }

  @Test
  void usageErrors(@TempDir Path tmp) {
    String out = tmp.resolve("m").toString();
    assertUsage(run("train", "--out", out), "--synthetic");
    assertUsage(run("train", "--synthetic", "--out", out, "--arch", "resnet"), "unknown architecture 'resnet'");
    assertUsage(run("train", "--synthetic", "--out", out, "--input-size", "big"), "--input-size 'big'");
    assertUsage(run("train", "--synthetic", "--out", out, "--steps", "0"), "training steps must be at least 1, got 0 (--steps)");
    assertUsage(run("bench", "model", "--model", out, "--batches", "0"), "--batches");
    assertUsage(run("bench", "model", "--model", out, "--frame-size", "640by360"), "--frame-size '640by360' is not WxH");
  }

  private static void assertUsage(Run r, String expected) {
    assertEquals(ExitCodes.USAGE, r.exitCode(), r.err());
    assertTrue(r.err().contains(expected), r.err());
  }
}
