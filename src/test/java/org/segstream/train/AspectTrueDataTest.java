package org.segstream.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.config.InvalidSettingException;
import org.segstream.dataset.Example;
import org.segstream.dataset.PairLayout;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.model.InputGeometry;
import org.segstream.train.augment.Augmentations;
import org.segstream.train.augment.DavisBackgroundsTest;

/** A folder dataset loaded aspect-true: pairs keep their shape, any size can be drawn, validation at its own sizes. */
public class AspectTrueDataTest {
  private static final int[][] SIZES = {{200, 100}, {100, 200}, {150, 150}, {160, 90}, {120, 160}, {90, 160}};

  /** Pairs of the given sizes (PNG, lossless), each a red pet square of a third of the short side in the middle. */
  public static Map<String, int[]> writeSquares(Path dir, int[][] sizes) throws Exception {
    Files.createDirectories(dir.resolve("images"));
    Files.createDirectories(dir.resolve("masks"));
    Files.writeString(dir.resolve("classes.txt"), "pet\nbackground\nborder\n");
    Map<String, int[]> written = new LinkedHashMap<>();
    for (int i = 0; i < sizes.length; i++) {
      int w = sizes[i][0];
      int h = sizes[i][1];
      int side = Math.min(w, h) / 3;
      Example pair = AugmentationTest.petSquare(w, h, (w - side) / 2, (h - side) / 2, side);
      String name = "square_" + i;
      Files.write(dir.resolve("images/" + name + ".png"), ImageCodec.encodePng(pair.image()));
      Files.write(dir.resolve("masks/" + name + ".png"), ImageCodec.encodePngGray(pair.truth()));
      written.put(name, sizes[i]);
    }
    return written;
  }

  private static FolderData load(Path dir, int validation, boolean augment, Augmentations set, List<Path> backgrounds) {
    return FolderData.load(PairLayout.open(dir), new FolderData.Settings(64, 32, validation, 0, 1337, 7, augment, false,
        1, 64, 32, set, backgrounds));
  }

  @Test
  void nextServesAnySizeWithTheLabelsOnTheImage(@TempDir Path tmp) throws Exception {
    writeSquares(tmp, SIZES);
    FolderData data = load(tmp, 1, true, Augmentations.BASIC, List.of());
    for (int[] size : new int[][] {{64, 32}, {32, 64}, {64, 64}, {37, 23}}) {
      for (int k = 0; k < 10; k++) {
        Example e = data.next(size[0], size[1]);
        assertEquals(List.of(size[0], size[1]), List.of(e.image().width(), e.image().height()));
        int[] agree = new int[2];
        int[] total = new int[2];
        for (int i = 0; i < e.truth().labels().length; i++) {
          int label = e.truth().labels()[i];
          if (label == 2) {
            continue;
          }
          boolean red = (e.image().rgb()[3 * i] & 0xff) > (e.image().rgb()[3 * i + 1] & 0xff) + 50;
          total[label]++;
          agree[label] += (label == 0) == red ? 1 : 0;
        }
        assertTrue(agree[0] >= 0.9 * total[0], "pet pixels that are red: " + agree[0] + " of " + total[0]);
        assertTrue(agree[1] >= 0.9 * total[1], "background pixels that are green: " + agree[1] + " of " + total[1]);
      }
    }
  }

  @Test
  void withoutAugmentationAPairIsCroppedToTheAspectNotStretched(@TempDir Path tmp) throws Exception {
    writeSquares(tmp, new int[][] {{200, 100}, {200, 100}});
    FolderData data = load(tmp, 1, false, Augmentations.BASIC, List.of());
    for (int[] size : new int[][] {{32, 64}, {64, 32}, {48, 48}}) {
      LabelMap labels = data.next(size[0], size[1]).truth();
      assertEquals(List.of(size[0], size[1]), List.of(labels.width(), labels.height()));
      int minX = Integer.MAX_VALUE;
      int maxX = -1;
      int minY = Integer.MAX_VALUE;
      int maxY = -1;
      for (int y = 0; y < labels.height(); y++) {
        for (int x = 0; x < labels.width(); x++) {
          if (labels.get(x, y) == 0) {
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
          }
        }
      }
      assertTrue(maxX >= 0, "the pet is in the centre crop at " + size[0] + "x" + size[1]);
      int w = maxX - minX + 1;
      int h = maxY - minY + 1;
      assertTrue(Math.abs(w - h) <= 2, "the square stays square at " + size[0] + "x" + size[1] + ": " + w + "x" + h);
    }
  }

  @Test
  void validationPairsAreAtTheirOwnAspectTrueSizes(@TempDir Path tmp) throws Exception {
    Map<String, int[]> sizes = writeSquares(tmp, SIZES);
    FolderData data = load(tmp, 4, true, Augmentations.BASIC, List.of());
    InputGeometry geometry = InputGeometry.aspectTrue(64, 32);
    List<Example> validation = data.validation(geometry);
    assertEquals(4, validation.size());
    List<String> seen = new ArrayList<>();
    for (Example e : validation) {
      int[] original = sizes.get(e.name());
      assertEquals(geometry.sizeFor(original[0], original[1]), new InputGeometry.Size(e.image().width(),
          e.image().height()), e.name());
      seen.add(e.image().width() + "x" + e.image().height());
    }
    assertTrue(seen.stream().distinct().count() >= 2, "validation sizes " + seen);
    assertThrows(IllegalArgumentException.class, () -> data.validation(64, 32));
    assertThrows(IllegalArgumentException.class, () -> data.validation(InputGeometry.aspectTrue(96, 32)));
    assertThrows(IllegalArgumentException.class, () -> data.validation(InputGeometry.stretched(64, 32)));
  }

  @Test
  void aResumedStreamDrawsTheSameExamplesWithEveryAugmentation(@TempDir Path tmp) throws Exception {
    writeSquares(tmp.resolve("set"), SIZES);
    Path discs = DavisBackgroundsTest.writeSequence(tmp.resolve("davis"), "discs", 2);
    int[][] sizes = {{64, 32}, {32, 64}, {64, 64}};
    FolderData straight = load(tmp.resolve("set"), 1, true, Augmentations.ALL, List.of(discs));
    List<Example> drawn = new ArrayList<>();
    for (int k = 0; k < 12; k++) {
      drawn.add(straight.next(sizes[k % 3][0], sizes[k % 3][1]));
    }
    FolderData resumed = load(tmp.resolve("set"), 1, true, Augmentations.ALL, List.of(discs));
    resumed.skipTo(7);
    for (int k = 7; k < 12; k++) {
      Example e = resumed.next(sizes[k % 3][0], sizes[k % 3][1]);
      assertArrayEquals(drawn.get(k).image().rgb(), e.image().rgb(), "image of example " + k);
      assertArrayEquals(drawn.get(k).truth().labels(), e.truth().labels(), "labels of example " + k);
    }
  }

  @Test
  void backgroundsAreCheckedWhenLoading(@TempDir Path tmp) throws Exception {
    writeSquares(tmp.resolve("set"), SIZES);
    Path libby = DavisBackgroundsTest.writeSequence(tmp.resolve("davis"), "libby", 1);
    InvalidSettingException refused = assertThrows(InvalidSettingException.class,
        () -> load(tmp.resolve("set"), 1, true, Augmentations.parse("paste"), List.of(libby)));
    assertTrue(refused.getMessage().contains("test clip"), refused.getMessage());
    Path discs = DavisBackgroundsTest.writeSequence(tmp.resolve("davis"), "discs", 1);
    InvalidSettingException unused = assertThrows(InvalidSettingException.class,
        () -> load(tmp.resolve("set"), 1, true, Augmentations.parse("camera"), List.of(discs)));
    assertTrue(unused.getMessage().contains("zoom-out and paste"), unused.getMessage());
  }
}
