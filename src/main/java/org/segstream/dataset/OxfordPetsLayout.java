package org.segstream.dataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;

/**
 * The Oxford-IIIT Pet download: {@code images/<Name>.jpg} and {@code annotations/trimaps/<Name>.png}
 * with trimap value 1 pet, 2 background, 3 border; the class index is value − 1.
 */
public record OxfordPetsLayout(Path root) implements PairLayout {
  static final String TRIMAPS = "annotations/trimaps";
  public static final List<String> CLASS_NAMES = List.of("pet", "background", "border");
  public static final int BACKGROUND_CLASS = 1;

  @Override
  public String dataset() {
    return "oxford-iiit-pet";
  }

  @Override
  public Path maskDirectory() {
    return root.resolve(TRIMAPS);
  }

  @Override
  public GroundTruthFormat maskFormat() {
    return GroundTruthFormat.TRIMAP;
  }

  @Override
  public List<String> classNames() {
    return CLASS_NAMES;
  }

  @Override
  public int backgroundClass() {
    return BACKGROUND_CLASS;
  }

  @Override
  public List<String> names() {
    return PairLayout.baseNames(root.resolve("images"));
  }

  @Override
  public Optional<Pair> pair(String name) {
    Path trimap = trimapFile(name);
    Path image = imageFile(name);
    return image != null && Files.isRegularFile(trimap) ? Optional.of(new Pair(name, image, trimap)) : Optional.empty();
  }

  @Override
  public Example read(String name) throws SkippedPairException {
    Path trimap = trimapFile(name);
    if (!Files.isRegularFile(trimap)) {
      throw new SkippedPairException(name + ": no trimap " + root.relativize(trimap));
    }
    Path imageFile = imageFile(name);
    if (imageFile == null) {
      throw new SkippedPairException(name + ": no image file in images/");
    }
    RgbImage image = ImageFiles.readRgb(imageFile);
    LabelMap values = ImageFiles.readLabels(trimap);
    if (values.width() != image.width() || values.height() != image.height()) {
      throw new SkippedPairException(name + ": image is " + image.width() + "x" + image.height() + " but its trimap is "
          + values.width() + "x" + values.height());
    }
    try {
      return new Example(name, image, GroundTruthFormat.TRIMAP.truth(values, CLASS_NAMES.size()));
    } catch (MaskValueException e) {
      throw new SkippedPairException(name + ": trimap value " + e.value() + " at pixel (" + e.x() + ", " + e.y()
          + ") is not 1 (pet), 2 (background) or 3 (border)");
    }
  }

  private Path trimapFile(String name) {
    return maskDirectory().resolve(name + ".png");
  }

  /** {@code images/<name>.jpg}, else the first file of images/ with that base name; null if none. */
  private Path imageFile(String name) {
    Path jpg = root.resolve("images").resolve(name + ".jpg");
    if (Files.isRegularFile(jpg)) {
      return jpg;
    }
    for (Path p : PairLayout.files(root.resolve("images"))) {
      if (PairLayout.baseName(p).equals(name)) {
        return p;
      }
    }
    return null;
  }
}
