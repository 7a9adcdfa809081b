package org.segstream.train.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.config.InvalidSettingException;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;
import org.segstream.testing.SharedData;

public class DavisBackgroundsTest {
  /**
   * Writes a DAVIS-layout sequence of {@code frames} grey 120×80 frames with a red disc, the mask
   * the disc and a 3-pixel margin; returns its JPEGImages folder.
   */
  public static Path writeSequence(Path davis, String name, int frames) throws Exception {
    Path images = Files.createDirectories(davis.resolve("JPEGImages/480p").resolve(name));
    Path masks = Files.createDirectories(davis.resolve("Annotations/480p").resolve(name));
    for (int f = 0; f < frames; f++) {
      byte[] rgb = new byte[3 * 120 * 80];
      byte[] mask = new byte[120 * 80];
      for (int y = 0; y < 80; y++) {
        for (int x = 0; x < 120; x++) {
          int i = y * 120 + x;
          double d = Math.hypot(x - 40 - 10 * f, y - 40);
          boolean disc = d < 20;
          rgb[3 * i] = (byte) (disc ? 240 : 110 + (x % 7));
          rgb[3 * i + 1] = (byte) (disc ? 10 : 110);
          rgb[3 * i + 2] = (byte) (disc ? 10 : 110);
          mask[i] = (byte) (d < 23 ? 255 : 0);
        }
      }
      String stem = String.format("%05d", f);
      Files.write(images.resolve(stem + ".jpg"), ImageCodec.encodeJpeg(new RgbImage(120, 80, rgb), 90));
      Files.write(masks.resolve(stem + ".png"), ImageCodec.encodePngGray(new LabelMap(120, 80, mask)));
    }
    return images;
  }

  @Test
  void framesKeepOnlyWhatLiesOutsideTheMask(@TempDir Path tmp) throws Exception {
    List<RgbImage> frames = DavisBackgrounds.load(writeSequence(tmp, "discs", 3), 1000);
    assertEquals(3, frames.size());
    for (RgbImage frame : frames) {
      assertEquals(120, frame.width());
      for (int y = 0; y < frame.height(); y++) {
        for (int x = 0; x < frame.width(); x++) {
          int redness = frame.get(x, y, 0) - frame.get(x, y, 1);
          assertTrue(redness < 40, "the object shows at (" + x + ", " + y + "): redness " + redness);
        }
      }
    }
    assertEquals(60, DavisBackgrounds.load(writeSequence(tmp, "small", 1), 60).get(0).width(), "long side capped");
  }

  @Test
  void theTestClipIsRefusedUnderItsNameAndThroughALink(@TempDir Path tmp) throws Exception {
    Path libby = writeSequence(tmp, "libby", 1);
    InvalidSettingException named = assertThrows(InvalidSettingException.class, () -> DavisBackgrounds.load(libby, 500));
    assertTrue(named.getMessage().contains("test clip"), named.getMessage());
    assertThrows(InvalidSettingException.class, () -> DavisBackgrounds.load(libby.resolveSibling("LIBBY"), 500));
    Path link = Files.createSymbolicLink(tmp.resolve("JPEGImages/480p/dogs"), libby);
    InvalidSettingException linked = assertThrows(InvalidSettingException.class, () -> DavisBackgrounds.load(link, 500));
    assertTrue(linked.getMessage().contains("test clip"), linked.getMessage());
  }

  @Test
  void aFolderOutsideTheDavisLayoutOrWithoutMasksIsAClearError(@TempDir Path tmp) throws Exception {
    Path plain = Files.createDirectories(tmp.resolve("photos"));
    InvalidSettingException layout = assertThrows(InvalidSettingException.class, () -> DavisBackgrounds.load(plain, 500));
    assertTrue(layout.getMessage().contains("JPEGImages/<resolution>/<sequence>"), layout.getMessage());
    Path seq = writeSequence(tmp, "nomasks", 1);
    Files.delete(tmp.resolve("Annotations/480p/nomasks/00000.png"));
    Files.delete(tmp.resolve("Annotations/480p/nomasks"));
    InvalidSettingException masks = assertThrows(InvalidSettingException.class, () -> DavisBackgrounds.load(seq, 500));
    assertTrue(masks.getMessage().contains("has no masks"), masks.getMessage());
  }

  @Test
  void blackswanLoadsAndTheSharedLibbyIsRefused() {
    Path davis = SharedData.path("davis");
    List<RgbImage> frames = DavisBackgrounds.load(davis.resolve("JPEGImages/480p/blackswan"), 280);
    assertEquals(50, frames.size());
    assertEquals(List.of(280, 157), List.of(frames.get(0).width(), frames.get(0).height()));
    assertThrows(InvalidSettingException.class, () -> DavisBackgrounds.load(davis.resolve("JPEGImages/480p/libby"), 280));
  }
}
