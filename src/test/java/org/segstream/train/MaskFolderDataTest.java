package org.segstream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.dataset.DatasetException;
import org.segstream.dataset.Example;
import org.segstream.dataset.MaskFolderLayout;
import org.segstream.dataset.PairLayout;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.synth.LabelledImage;
import org.segstream.synth.SyntheticScenes;

/** The generic images/ + masks/ + classes.txt reader on a small set generated here, faults included. */
class MaskFolderDataTest {

  /** Writes {@code count} synthetic scenes as PNG image + mask pairs and a classes.txt. */
  static Path writeSet(Path dir, int count, int width, int height) throws Exception {
    Files.createDirectories(dir.resolve("images"));
    Files.createDirectories(dir.resolve("masks"));
    Files.writeString(dir.resolve("classes.txt"), String.join("\n", SyntheticScenes.CLASS_NAMES) + "\n");
    SyntheticScenes scenes = new SyntheticScenes(11);
    for (int i = 0; i < count; i++) {
      LabelledImage scene = scenes.next(width, height);
      String name = "scene_" + i;
      Files.write(dir.resolve("images/" + name + ".jpg"), ImageCodec.encodeJpeg(scene.image(), 95));
      Files.write(dir.resolve("masks/" + name + ".png"), ImageCodec.encodePngGray(scene.truth()));
    }
    return dir;
  }

  @Test
  void readsPairsAndSkipsTheFaultyOnesWithReasons(@TempDir Path tmp) throws Exception {
    Path dir = writeSet(tmp.resolve("set"), 10, 40, 30);
    Files.write(dir.resolve("images/no_mask.png"), ImageCodec.encodeJpeg(new SyntheticScenes(1).next(40, 30).image(), 90));
    Files.write(dir.resolve("images/garbage.jpg"), new byte[] {1, 2, 3, 4, 5});
    Files.write(dir.resolve("masks/garbage.png"), ImageCodec.encodePngGray(LabelMap.blank(40, 30)));
    Files.write(dir.resolve("masks/scene_3.png"), ImageCodec.encodePngGray(LabelMap.blank(20, 30)));
    Files.write(dir.resolve("masks/scene_4.png"), ImageCodec.encodePngGray(new LabelMap(40, 30, filled(1200, 7))));

    PairLayout layout = PairLayout.open(dir);
    MaskFolderLayout generic = assertInstanceOf(MaskFolderLayout.class, layout);
    assertEquals(SyntheticScenes.CLASS_NAMES, generic.classNames());
    assertEquals(1, generic.backgroundClass(), "the class named background");

    FolderData data = FolderData.load(layout, new FolderData.Settings(32, 32, 2, 0, 1337, 1, false, false, 2));
    Map<String, String> skipped = data.skipped().stream()
        .collect(Collectors.toMap(FolderData.Skipped::name, FolderData.Skipped::reason));
    assertEquals(4, skipped.size(), skipped.toString());
    assertTrue(skipped.get("no_mask").contains("no mask"), skipped.get("no_mask"));
    assertTrue(skipped.get("garbage").contains("not a readable image"), skipped.get("garbage"));
    assertTrue(skipped.get("scene_3").contains("40x30 but its mask is 20x30"), skipped.get("scene_3"));
    assertTrue(skipped.get("scene_4").contains("mask value 7"), skipped.get("scene_4"));
    assertEquals(6, data.pairCount());
    assertEquals(2, data.validation(32, 32).size());

    Example e = layout.read("scene_0");
    LabelMap written = ImageCodec.decodePngGray(Files.readAllBytes(dir.resolve("masks/scene_0.png")));
    assertEquals(List.of(written.width(), written.height()), List.of(e.truth().width(), e.truth().height()));
    assertTrue(java.util.Arrays.equals(written.labels(), e.truth().labels()));
  }

  @Test
  void anEmptyOrUnusableDatasetIsAClearError(@TempDir Path tmp) throws Exception {
    Path empty = tmp.resolve("empty");
    Files.createDirectories(empty.resolve("images"));
    Files.createDirectories(empty.resolve("masks"));
    Files.writeString(empty.resolve("classes.txt"), "pet\nbackground\n");
    DatasetException none = assertThrows(DatasetException.class,
        () -> FolderData.load(PairLayout.open(empty), new FolderData.Settings(16, 16, 1, 0, 1, 1, false, false, 1)));
    assertTrue(none.getMessage().contains("no images"), none.getMessage());

    Files.write(empty.resolve("images/a.jpg"), new byte[] {9, 9, 9});
    DatasetException unusable = assertThrows(DatasetException.class,
        () -> FolderData.load(PairLayout.open(empty), new FolderData.Settings(16, 16, 1, 0, 1, 1, false, false, 1)));
    assertTrue(unusable.getMessage().contains("no usable pairs"), unusable.getMessage());

    Files.delete(empty.resolve("classes.txt"));
    DatasetException noClasses = assertThrows(DatasetException.class,
        () -> FolderData.load(PairLayout.open(empty), new FolderData.Settings(16, 16, 1, 0, 1, 1, false, false, 1)));
    assertTrue(noClasses.getMessage().contains("no classes.txt"), noClasses.getMessage());

    DatasetException noLayout = assertThrows(DatasetException.class, () -> PairLayout.open(tmp));
    assertTrue(noLayout.getMessage().contains("no images/ folder"), noLayout.getMessage());
  }

  @Test
  void breedIsTheNameWithoutItsNumber() {
    assertEquals("american_bulldog", PairSampler.breedOf("american_bulldog_123"));
    assertEquals("Bengal", PairSampler.breedOf("Bengal_7"));
    assertEquals("plain", PairSampler.breedOf("plain"));
  }

  private static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }
}
