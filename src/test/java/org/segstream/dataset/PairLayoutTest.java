package org.segstream.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.synth.LabelledImage;
import org.segstream.synth.SyntheticScenes;

/** Both layouts on small sets generated here: which pairs they list, how they read them, and why they skip one. */
class PairLayoutTest {
  private static final SyntheticScenes SCENES = new SyntheticScenes(5);

  @Test
  void aMaskFolderListsTheImagesWithAMaskAndReadsIndexMasks(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("images"));
    Files.createDirectories(dir.resolve("masks"));
    Files.writeString(dir.resolve("classes.txt"), String.join("\n", SyntheticScenes.CLASS_NAMES) + "\n");
    LabelledImage scene = writePair(dir, "b", ".jpg", "masks/b.png", 40, 30);
    writePair(dir, "a", ".png", "masks/a.bmp", 40, 30); // a mask need not be a .png file
    Files.write(dir.resolve("images/lonely.jpg"), ImageCodec.encodeJpeg(SCENES.next(8, 8).image(), 90));
    Files.writeString(dir.resolve("images/.hidden.jpg"), "not listed");

    PairLayout layout = PairLayout.open(dir);
    MaskFolderLayout generic = assertInstanceOf(MaskFolderLayout.class, layout);
    assertEquals(SyntheticScenes.CLASS_NAMES, generic.classNames());
    assertEquals(1, generic.backgroundClass(), "the class named background");
    assertEquals(GroundTruthFormat.INDEX, layout.maskFormat());
    assertEquals(List.of("a", "b", "lonely"), layout.names());
    assertEquals(List.of(new Pair("a", dir.resolve("images/a.png"), dir.resolve("masks/a.bmp")),
        new Pair("b", dir.resolve("images/b.jpg"), dir.resolve("masks/b.png"))), layout.pairs());
    Example b = layout.read("b");
    assertArrayEquals(scene.truth().labels(), b.truth().labels());
    assertEquals("lonely: no mask in masks/", skipReason(layout, "lonely"));
  }

  @Test
  void aMaskFolderSkipsFaultyPairsWithTheirReasons(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("images"));
    Files.createDirectories(dir.resolve("masks"));
    Files.writeString(dir.resolve("classes.txt"), "object\nbackground\nborder\n");
    Files.write(dir.resolve("images/garbage.jpg"), new byte[] {1, 2, 3, 4, 5});
    Files.write(dir.resolve("masks/garbage.png"), ImageCodec.encodePngGray(LabelMap.blank(40, 30)));
    writePair(dir, "small", ".jpg", "masks/small.png", 40, 30);
    Files.write(dir.resolve("masks/small.png"), ImageCodec.encodePngGray(LabelMap.blank(20, 30)));
    writePair(dir, "seven", ".jpg", "masks/seven.png", 4, 2);
    Files.write(dir.resolve("masks/seven.png"), ImageCodec.encodePngGray(new LabelMap(4, 2, new byte[] {0, 1, 2, 1, 0, 7, 0, 0})));

    PairLayout layout = PairLayout.open(dir);
    assertTrue(skipReason(layout, "garbage").startsWith("garbage.jpg is not a readable image"), skipReason(layout, "garbage"));
    assertEquals("small: image is 40x30 but its mask is 20x30", skipReason(layout, "small"));
    assertEquals("seven: mask value 7 at pixel (1, 1) is not a class index below 3", skipReason(layout, "seven"));
    assertEquals(3, layout.pairs().size(), "listed all the same: evaluation skips them when it reads them");
  }

  @Test
  void aMaskFolderWithoutClassesTxtIsForScoringOnly(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("images"));
    Files.createDirectories(dir.resolve("masks"));
    writePair(dir, "a", ".jpg", "masks/a.png", 16, 16);
    PairLayout layout = PairLayout.open(dir);
    assertEquals(List.of(), layout.classNames());
    assertEquals(1, layout.pairs().size(), "evaluation scores in the model's classes");
    DatasetException training = assertThrows(DatasetException.class, layout::requireClasses);
    assertTrue(training.getMessage().contains("has masks/ but no classes.txt"), training.getMessage());
    assertThrows(DatasetException.class, () -> layout.read("a"));

    Files.writeString(dir.resolve("classes.txt"), "only\n");
    DatasetException one = assertThrows(DatasetException.class, () -> PairLayout.open(dir));
    assertTrue(one.getMessage().contains("names 1 classes: 2..255 are needed"), one.getMessage());
  }

  @Test
  void anOxfordFolderDecodesTrimapsAndSkipsOtherValues(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("images"));
    Files.createDirectories(dir.resolve("annotations/trimaps"));
    Files.createDirectories(dir.resolve("masks")); // the trimaps decide the layout
    Files.write(dir.resolve("images/Cat_1.jpg"), ImageCodec.encodeJpeg(SCENES.next(4, 2).image(), 95));
    Files.write(dir.resolve("annotations/trimaps/Cat_1.png"), ImageCodec.encodePngGray(new LabelMap(4, 2, new byte[] {1, 2, 3, 2, 1, 1, 3, 3})));
    Files.write(dir.resolve("images/Cat_2.jpg"), ImageCodec.encodeJpeg(SCENES.next(4, 2).image(), 95));
    Files.write(dir.resolve("annotations/trimaps/Cat_2.png"), ImageCodec.encodePngGray(new LabelMap(4, 2, new byte[] {1, 2, 3, 2, 1, 0, 3, 3})));
    Files.write(dir.resolve("images/Cat_3.jpg"), ImageCodec.encodeJpeg(SCENES.next(4, 2).image(), 95));

    PairLayout layout = PairLayout.open(dir);
    assertInstanceOf(OxfordPetsLayout.class, layout);
    assertEquals(GroundTruthFormat.TRIMAP, layout.maskFormat());
    assertEquals(List.of("pet", "background", "border"), layout.classNames());
    assertArrayEquals(new byte[] {0, 1, 2, 1, 0, 0, 2, 2}, layout.read("Cat_1").truth().labels());
    assertEquals("Cat_2: trimap value 0 at pixel (1, 1) is not 1 (pet), 2 (background) or 3 (border)", skipReason(layout, "Cat_2"));
    assertEquals("Cat_3: no trimap annotations/trimaps/Cat_3.png", skipReason(layout, "Cat_3"));
    assertEquals(List.of("Cat_1", "Cat_2"), layout.pairs().stream().map(Pair::name).toList());
  }

  @Test
  void aFolderWithNeitherLayoutIsAUsageError(@TempDir Path dir) throws Exception {
    assertTrue(usage(dir.resolve("nowhere")).contains("is not a directory"));
    assertTrue(usage(dir).contains("no images/ folder"));
    Files.createDirectories(dir.resolve("images"));
    assertTrue(usage(dir).contains("neither annotations/trimaps/ (Oxford-IIIT Pet) nor masks/"));
    Files.createDirectories(dir.resolve("masks"));
    Files.writeString(dir.resolve("classes.txt"), "a\nb\n");
    Files.write(dir.resolve("images/a.jpg"), ImageCodec.encodeJpeg(SCENES.next(8, 8).image(), 90));
    DatasetException none = assertThrows(DatasetException.class, () -> PairLayout.open(dir).pairs());
    assertTrue(none.getMessage().contains("no image in images/ has a mask in masks/"), none.getMessage());
  }

  private static LabelledImage writePair(Path dir, String name, String imageExtension, String mask, int width, int height)
      throws Exception {
    LabelledImage scene = SCENES.next(width, height);
    Files.write(dir.resolve("images/" + name + imageExtension), ImageCodec.encodeJpeg(scene.image(), 95));
    Files.write(dir.resolve(mask), ImageCodec.encodePngGray(scene.truth()));
    return scene;
  }

  private static String skipReason(PairLayout layout, String name) {
    return assertThrows(SkippedPairException.class, () -> layout.read(name)).getMessage();
  }

  private static String usage(Path dir) {
    return assertThrows(DatasetException.class, () -> PairLayout.open(dir)).getMessage();
  }
}
