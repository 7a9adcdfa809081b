package org.segstream.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;

/**
 * A generic folder: {@code images/<name>.<any>} and {@code masks/<name>.png} whose pixel is the
 * class index, and {@code classes.txt} with one class name per line in index order. The background
 * class is the one named "background", else class 0. Without classes.txt the classes are unnamed (empty):
 * evaluation scores in the model's classes, training asks for the file ({@link #requireClasses()}).
 */
public record MaskFolderLayout(Path root, List<String> classNames, int backgroundClass) implements PairLayout {
  private static final List<String> COMMON_EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp");

  public MaskFolderLayout {
    classNames = List.copyOf(classNames);
  }

  static MaskFolderLayout open(Path root) {
    Path classesFile = root.resolve("classes.txt");
    if (!Files.isRegularFile(classesFile)) {
      return new MaskFolderLayout(root, List.of(), 0);
    }
    List<String> classes;
    try {
      classes = Files.readAllLines(classesFile).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + classesFile + ": " + e.getMessage(), e);
    }
    if (classes.size() < 2 || classes.size() > 255) {
      throw new DatasetException(classesFile, classesFile + " names " + classes.size() + " classes: 2..255 are needed");
    }
    int background = Math.max(0, classes.indexOf("background"));
    return new MaskFolderLayout(root, classes, background);
  }

  @Override
  public String dataset() {
    return root.getFileName().toString();
  }

  @Override
  public Path maskDirectory() {
    return root.resolve("masks");
  }

  @Override
  public GroundTruthFormat maskFormat() {
    return GroundTruthFormat.INDEX;
  }

  @Override
  public List<String> names() {
    return PairLayout.baseNames(root.resolve("images"));
  }

  @Override
  public Optional<Pair> pair(String name) {
    Path image = find(root.resolve("images"), name);
    Path mask = image == null ? null : find(maskDirectory(), name);
    return mask == null ? Optional.empty() : Optional.of(new Pair(name, image, mask));
  }

  @Override
  public Example read(String name) throws SkippedPairException {
    requireClasses();
    Path image = find(root.resolve("images"), name);
    if (image == null) {
      throw new SkippedPairException(name + ": no image file in images/");
    }
    Path mask = find(maskDirectory(), name);
    if (mask == null) {
      throw new SkippedPairException(name + ": no mask in masks/");
    }
    RgbImage rgb = ImageFiles.readRgb(image);
    LabelMap labels = ImageFiles.readLabels(mask);
    if (labels.width() != rgb.width() || labels.height() != rgb.height()) {
      throw new SkippedPairException(name + ": image is " + rgb.width() + "x" + rgb.height() + " but its mask is "
          + labels.width() + "x" + labels.height());
    }
    try {
      return new Example(name, rgb, GroundTruthFormat.INDEX.truth(labels, classNames.size()));
    } catch (MaskValueException e) {
      throw new SkippedPairException(name + ": mask value " + e.value() + " at pixel (" + e.x() + ", " + e.y()
          + ") is not a class index below " + classNames.size());
    }
  }

  /** The file named {@code name} with a common extension, else any file with that base name; null if none. */
  private static Path find(Path dir, String name) {
    for (String ext : COMMON_EXTENSIONS) {
      Path p = dir.resolve(name + ext);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    for (Path p : PairLayout.files(dir)) {
      if (PairLayout.baseName(p).equals(name)) {
        return p;
      }
    }
    return null;
  }
}
