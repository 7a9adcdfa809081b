package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.model.ModelMetadata;
import org.segstream.train.AspectTrueDataTest;
import org.segstream.train.augment.DavisBackgroundsTest;

/** {@code segstream train} aspect-true with every augmentation: a real short run, and the usage errors. */
class TrainAugmentCommandTest {
  private static final int[][] SIZES = {{96, 54}, {54, 96}, {80, 80}, {80, 60}, {60, 80}, {96, 54}};

  @Test
  void trainsAspectTrueWithEveryAugmentationAndABackgroundSequence(@TempDir Path tmp) throws Exception {
    AspectTrueDataTest.writeSquares(tmp.resolve("set"), SIZES);
    Path discs = DavisBackgroundsTest.writeSequence(tmp.resolve("davis"), "discs", 2);
    Path out = tmp.resolve("model");
    TrainAndBenchCommandTest.Run r = TrainAndBenchCommandTest.run("train", "--data", tmp.resolve("set").toString(),
        "--out", out.toString(), "--input-long-side", "64", "--augmentations", "all", "--backgrounds",
        discs.toString(), "--steps", "4", "--batch-size", "2", "--validation-count", "2", "--bench-seconds", "0.2",
        "--calibration-batches", "1", "--threads", "1");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    assertTrue(r.err().contains("augmentations basic,zoom-out,paste,camera, backgrounds"), r.err());
    assertTrue(r.err().contains("at long side 64, aspect kept"), r.err());
    ModelMetadata m = ModelMetadata.read(out.resolve(ModelMetadata.FILE_NAME));
    assertEquals(new ModelMetadata.AspectTrueInput(64, 32), m.aspectTrueInput());
    assertEquals(64, m.inputWidth());
    assertEquals(32, m.inputHeight());
  }

  @Test
  void badOptionsAreUsageErrors(@TempDir Path tmp) throws Exception {
    AspectTrueDataTest.writeSquares(tmp.resolve("set"), SIZES);
    String set = tmp.resolve("set").toString();
    String out = tmp.resolve("m").toString();
    Path libby = DavisBackgroundsTest.writeSequence(tmp.resolve("davis"), "libby", 1);
    assertUsage(TrainAndBenchCommandTest.run("train", "--data", set, "--out", out, "--augmentations", "paste",
        "--backgrounds", libby.toString()), "'libby' is the test clip");
    assertUsage(TrainAndBenchCommandTest.run("train", "--data", set, "--out", out, "--augmentations", "zoom-in"),
        "unknown augmentation 'zoom-in'");
    assertUsage(TrainAndBenchCommandTest.run("train", "--data", set, "--out", out, "--input-size", "64",
        "--input-long-side", "64"), "not both");
    assertUsage(TrainAndBenchCommandTest.run("train", "--data", set, "--out", out, "--input-long-side", "100"),
        "multiple of --input-multiple 32");
    assertUsage(TrainAndBenchCommandTest.run("train", "--data", set, "--out", out, "--no-augment", "--augmentations",
        "camera"), "augmentation off");
    assertUsage(TrainAndBenchCommandTest.run("train", "--synthetic", "--out", out, "--augmentations", "paste"),
        "need --data");
  }

  private static void assertUsage(TrainAndBenchCommandTest.Run r, String expected) {
    assertEquals(ExitCodes.USAGE, r.exitCode(), r.err());
    assertTrue(r.err().contains(expected), r.err());
  }
}
