package org.segstream.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.testing.SharedData;

/** The Oxford-IIIT Pet layout on the real 922 pairs of ../shared/data/oxford-pets, its odd files included. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OxfordPetsLayoutTest {
  private PairLayout layout;

  @BeforeAll
  void open() {
    layout = PairLayout.open(SharedData.path("oxford-pets"));
  }

  @Test
  void everyNameIsAPairWithItsTrimap() {
    assertEquals("oxford-iiit-pet", layout.dataset());
    assertEquals(GroundTruthFormat.TRIMAP, layout.maskFormat());
    assertEquals(922, layout.names().size());
    List<Pair> pairs = layout.pairs();
    assertEquals(layout.names(), pairs.stream().map(Pair::name).toList(), "every image has a trimap, in name order");
    Pair bengal = pairs.stream().filter(p -> p.name().equals("Bengal_10")).findFirst().orElseThrow();
    assertEquals(layout.root().resolve("images/Bengal_10.jpg"), bengal.image());
    assertEquals(layout.root().resolve("annotations/trimaps/Bengal_10.png"), bengal.mask());
  }

  @Test
  void trimapValueMinusOneIsTheClass() throws Exception {
    Example pair = layout.read("Bengal_10");
    LabelMap trimap = ImageCodec.decodePngGray(
        Files.readAllBytes(layout.root().resolve("annotations/trimaps/Bengal_10.png")));
    Set<Integer> seen = new TreeSet<>();
    for (int i = 0; i < trimap.labels().length; i++) {
      int value = trimap.labels()[i] & 0xff;
      assertEquals(value - 1, pair.truth().labels()[i] & 0xff);
      seen.add(value - 1);
    }
    assertEquals(Set.of(0, 1, 2), seen);
    assertEquals(List.of("pet", "background", "border"), layout.classNames());
    assertEquals(1, layout.backgroundClass());
  }

  @Test
  void decodesTheGifAndTheRgbaPngNamedJpg() throws Exception {
    Path gif = layout.root().resolve("images/Abyssinian_34.jpg");
    assertEquals("GIF8", new String(Files.readAllBytes(gif), 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
    Example fromGif = layout.read("Abyssinian_34");
    assertEquals(fromGif.truth().width(), fromGif.image().width());
    assertTrue(isAll(fromGif.truth(), 1), "Abyssinian_34's trimap is all background");
    assertTrue(hasColour(fromGif), "the GIF decodes to a real picture, not a blank");

    byte[] png = Files.readAllBytes(layout.root().resolve("images/Abyssinian_5.jpg"));
    assertEquals((byte) 0x89, png[0]);
    assertEquals(6, png[25], "colour type 6: RGBA");
    Example fromPng = layout.read("Abyssinian_5");
    assertEquals(3 * fromPng.image().width() * fromPng.image().height(), fromPng.image().rgb().length);
    assertTrue(hasColour(fromPng));
  }

  private static boolean isAll(LabelMap labels, int value) {
    for (byte b : labels.labels()) {
      if ((b & 0xff) != value) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasColour(Example e) {
    Set<Integer> values = new TreeSet<>();
    for (byte b : e.image().rgb()) {
      values.add(b & 0xff);
      if (values.size() > 50) {
        return true;
      }
    }
    return false;
  }
}
