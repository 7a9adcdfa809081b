package org.segstream.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  public List<String> classNames() {
    return CLASS_NAMES;
  }

  @Override
  public int backgroundClass() {
    return BACKGROUND_CLASS;
  }

  @Override
  public List<String> names() {
    return PairLayout.files(root.resolve("images")).stream().map(PairLayout::baseName).distinct().sorted().toList();
  }

  @Override
  public Example read(String name) throws SkippedPairException {
    Path trimap = root.resolve(TRIMAPS).resolve(name + ".png");
    if (!Files.isRegularFile(trimap)) {
      throw new SkippedPairException(name + ": no trimap " + root.relativize(trimap));
    }
    RgbImage image = ImageFiles.readRgb(imageFile(name));
    LabelMap values = ImageFiles.readLabels(trimap);
    if (values.width() != image.width() || values.height() != image.height()) {
      throw new SkippedPairException(name + ": image is " + image.width() + "x" + image.height() + " but its trimap is "
          + values.width() + "x" + values.height());
    }
    byte[] v = values.labels();
    byte[] labels = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      int value = v[i] & 0xff;
      if (value < 1 || value > 3) {
        throw new SkippedPairException(name + ": trimap value " + value + " at pixel (" + i % values.width() + ", "
            + i / values.width() + ") is not 1 (pet), 2 (background) or 3 (border)");
      }
      labels[i] = (byte) (value - 1);
    }
    return new Example(name, image, new LabelMap(values.width(), values.height(), labels));
  }

  private Path imageFile(String name) throws SkippedPairException {
    Path jpg = root.resolve("images").resolve(name + ".jpg");
    if (Files.isRegularFile(jpg)) {
      return jpg;
    }
    for (Path p : PairLayout.files(root.resolve("images"))) {
      if (PairLayout.baseName(p).equals(name)) {
        return p;
      }
    }
    throw new SkippedPairException(name + ": no image file in images/");
  }
}
