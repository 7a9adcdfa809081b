package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.image.ImageCodec;
import org.segstream.model.ModelMetadata;
import org.segstream.synth.LabelledImage;
import org.segstream.synth.SyntheticScenes;

/** {@code segstream train --data}: a real run on a generated images/ + masks/ folder, and its usage errors. */
class TrainDataCommandTest {

  @Test
  void trainsOnAFolderWithEpochLinesAndResumes(@TempDir Path tmp) throws Exception {
    Path set = tmp.resolve("set");
    Files.createDirectories(set.resolve("images"));
    Files.createDirectories(set.resolve("masks"));
    Files.writeString(set.resolve("classes.txt"), "object\nbackground\nborder\n");
    SyntheticScenes scenes = new SyntheticScenes(4);
    for (int i = 0; i < 12; i++) {
      LabelledImage s = scenes.next(48, 40);
      Files.write(set.resolve("images/s_" + i + ".png"), ImageCodec.encodeJpeg(s.image(), 95));
      Files.write(set.resolve("masks/s_" + i + ".png"), ImageCodec.encodePngGray(s.truth()));
    }
    Path out = tmp.resolve("model");
    String[] common = {"train", "--data", set.toString(), "--out", out.toString(), "--input-size", "32",
        "--batch-size", "4", "--validation-count", "4", "--schedule", "cosine", "--learning-rate", "0.01",
        "--loss", "ce-dice", "--balanced", "--bench-seconds", "0.2", "--calibration-batches", "1"};
    TrainAndBenchCommandTest.Run first = TrainAndBenchCommandTest.run(concat(common, "--epochs", "2"));
    assertEquals(ExitCodes.OK, first.exitCode(), first.err());
    assertTrue(first.err().contains("loaded 8 training and 4 validation pairs"), first.err());
    assertTrue(first.err().contains("epoch 2/2 validation (4): pixel accuracy"), first.err());
    assertTrue(first.out().contains("trained    steps 1-4 x 4 images at 32x32"), first.out());
    ModelMetadata m = ModelMetadata.read(out.resolve(ModelMetadata.FILE_NAME));
    assertEquals(4, m.trainedOn().validationNames().size());
    assertEquals(8, m.trainedOn().pairCount());
    assertTrue(Files.readString(out.resolve(ModelMetadata.FILE_NAME)).contains("\"wallSeconds\""));
    assertTrue(Files.isDirectory(tmp.resolve("model.checkpoint")));

    TrainAndBenchCommandTest.Run more = TrainAndBenchCommandTest.run(concat(common, "--epochs", "3", "--resume"));
    assertEquals(ExitCodes.OK, more.exitCode(), more.err());
    assertTrue(more.err().contains("resumed from"), more.err());
    assertTrue(more.out().contains("trained    steps 5-6 x 4 images"), more.out());
  }

  @Test
  void badDataOptionsAreUsageErrors(@TempDir Path tmp) {
    String out = tmp.resolve("m").toString();
    assertUsage(TrainAndBenchCommandTest.run("train", "--data", tmp.resolve("nowhere").toString(), "--out", out),
        "is not a directory");
    assertUsage(TrainAndBenchCommandTest.run("train", "--data", tmp.toString(), "--synthetic", "--out", out),
        "exactly one of --data");
    assertUsage(TrainAndBenchCommandTest.run("train", "--synthetic", "--epochs", "2", "--out", out), "--epochs needs --data");
    assertUsage(TrainAndBenchCommandTest.run("train", "--synthetic", "--loss", "focal", "--out", out), "unknown loss 'focal'");
    assertUsage(TrainAndBenchCommandTest.run("train", "--synthetic", "--schedule", "exp", "--out", out),
        "unknown learning-rate schedule 'exp'");
  }

  private static void assertUsage(TrainAndBenchCommandTest.Run r, String expected) {
    assertEquals(ExitCodes.USAGE, r.exitCode(), r.err());
    assertTrue(r.err().contains(expected), r.err());
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
