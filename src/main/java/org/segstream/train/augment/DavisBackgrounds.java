package org.segstream.train.augment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.segstream.config.InvalidSettingException;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.image.Resampling;
import org.segstream.image.RgbImage;

/**
 * The frames of a DAVIS sequence ({@code <davis>/JPEGImages/<resolution>/<sequence>/NNNNN.jpg} with
 * {@code <davis>/Annotations/<resolution>/<sequence>/NNNNN.png}) as backgrounds: the annotated object
 * painted over ({@link HoleFill}), so only what lies outside its mask is left. Refuses {@value #TEST_CLIP},
 * the sequence the pet models are tested on.
 */
public final class DavisBackgrounds {
  /** The held-out test clip: training on it in any form would make its scores meaningless. */
  public static final String TEST_CLIP = "libby";

  private DavisBackgrounds() {}

  /**
   * The sequence's frames without their object, scaled so the long side is at most {@code maxLongSide}.
   *
   * @param sequence the sequence's JPEGImages folder, e.g. {@code davis/JPEGImages/480p/blackswan}
   */
  public static List<RgbImage> load(Path sequence, int maxLongSide) {
    Path real = realSequence(sequence);
    Path resolution = real.getParent();
    Path images = resolution == null ? null : resolution.getParent();
    if (images == null || !images.getFileName().toString().equals("JPEGImages")) {
      throw new InvalidSettingException("backgrounds", "the background sequence " + sequence + " is not a DAVIS "
          + "sequence folder: give <davis>/JPEGImages/<resolution>/<sequence>, e.g. davis/JPEGImages/480p/blackswan");
    }
    Path masks = images.resolveSibling("Annotations").resolve(resolution.getFileName()).resolve(real.getFileName());
    if (!Files.isDirectory(masks)) {
      throw new InvalidSettingException("backgrounds", "the DAVIS sequence " + sequence + " has no masks at " + masks
          + ": its object cannot be kept out of the backgrounds");
    }
    List<RgbImage> frames = new ArrayList<>();
    for (Path jpeg : jpegs(real)) {
      String stem = jpeg.getFileName().toString().replaceFirst("\\.[^.]+$", "");
      Path mask = masks.resolve(stem + ".png");
      try {
        if (!Files.isRegularFile(mask)) {
          throw new InvalidSettingException("backgrounds", "the DAVIS frame " + jpeg + " has no mask " + mask);
        }
        frames.add(withoutObject(ImageCodec.decode(Files.readAllBytes(jpeg)),
            ImageCodec.decodePngGray(Files.readAllBytes(mask)), jpeg, maxLongSide));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the DAVIS frame " + jpeg + ": " + e.getMessage(), e);
      }
    }
    if (frames.isEmpty()) {
      throw new InvalidSettingException("backgrounds", "the DAVIS sequence " + sequence + " has no .jpg frames");
    }
    return frames;
  }

  /** The sequence folder with links resolved, refused when it is the test clip under any name. */
  static Path realSequence(Path sequence) {
    if (isTestClip(sequence)) {
      throw refused(sequence);
    }
    Path real;
    try {
      real = sequence.toRealPath();
    } catch (IOException e) {
      throw new InvalidSettingException("backgrounds", "the background sequence " + sequence + " cannot be read: "
          + e.getMessage());
    }
    if (isTestClip(real) || !Files.isDirectory(real)) {
      throw isTestClip(real) ? refused(sequence) : new InvalidSettingException("backgrounds",
          "the background sequence " + sequence + " is not a folder");
    }
    return real;
  }

  private static boolean isTestClip(Path path) {
    Path name = path.toAbsolutePath().normalize().getFileName();
    return name != null && name.toString().toLowerCase(Locale.ROOT).equals(TEST_CLIP);
  }

  private static InvalidSettingException refused(Path sequence) {
    return new InvalidSettingException("backgrounds", "refusing " + sequence + ": '" + TEST_CLIP + "' is the test clip "
        + "the pet models are scored on, so it must never be trained on; use another sequence, e.g. blackswan");
  }

  private static List<Path> jpegs(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jpg")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static RgbImage withoutObject(RgbImage frame, LabelMap mask, Path jpeg, int maxLongSide) {
    if (mask.width() != frame.width() || mask.height() != frame.height()) {
      throw new InvalidSettingException("backgrounds", "the DAVIS frame " + jpeg + " is " + frame.width() + "x"
          + frame.height() + " but its mask is " + mask.width() + "x" + mask.height());
    }
    boolean[] object = new boolean[mask.labels().length];
    for (int i = 0; i < object.length; i++) {
      object[i] = mask.labels()[i] != 0;
    }
    byte[] rgb = frame.rgb().clone();
    if (!HoleFill.fill(rgb, frame.width(), frame.height(), object)) {
      throw new InvalidSettingException("backgrounds", "the DAVIS frame " + jpeg + " is all object: no background");
    }
    int[] size = Resampling.capLongSide(frame.width(), frame.height(), maxLongSide);
    RgbImage filled = new RgbImage(frame.width(), frame.height(), rgb);
    return size[0] == frame.width() ? filled : ImageCodec.downscale(filled, size[0], size[1]);
  }
}
