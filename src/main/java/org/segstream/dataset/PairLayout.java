package org.segstream.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A folder of labelled image pairs on disk: which pairs there are, where their files are, how their masks encode
 * classes, and how to read one at full size. The two layouts are the Oxford-IIIT Pet download and plain
 * {@code images/} + {@code masks/} folders. Training preloads a layout's pairs ({@code train.FolderData}); evaluation
 * scores its {@link #pairs()} in the model's classes.
 */
public sealed interface PairLayout permits OxfordPetsLayout, MaskFolderLayout {
  /** Written to {@code trainedOn.dataset}. */
  String dataset();

  Path root();

  /** The folder of the masks, inside {@link #root()}. */
  Path maskDirectory();

  /** How the masks encode classes: {@link GroundTruthFormat#TRIMAP} or {@link GroundTruthFormat#INDEX}. */
  GroundTruthFormat maskFormat();

  /** The classes the masks index; empty when the folder names none (a {@code masks/} folder without classes.txt). */
  List<String> classNames();

  int backgroundClass();

  /** Every pair name the folder offers (images with or without masks), sorted. */
  List<String> names();

  /** The image and mask files of a name; empty when either is missing. */
  Optional<Pair> pair(String name);

  /**
   * Reads one pair at its stored size, its mask decoded into {@link #classNames()}.
   *
   * @throws SkippedPairException when the pair cannot be used (unreadable image, missing mask, sizes differ...)
   */
  Example read(String name) throws SkippedPairException;

  /**
   * The names whose image has a mask, in name order, as files: the set evaluation scores.
   *
   * @throws DatasetException when no image has a mask
   */
  default List<Pair> pairs() {
    List<Pair> pairs = new ArrayList<>();
    for (String name : names()) {
      pair(name).ifPresent(pairs::add);
    }
    if (pairs.isEmpty()) {
      throw new DatasetException(root(), "the dataset " + root() + ": no image in images/ has a mask in " + root().relativize(maskDirectory()) + "/");
    }
    return List.copyOf(pairs);
  }

  /**
   * This layout, when its masks' classes are named (training needs them; evaluation takes the model's).
   *
   * @throws DatasetException for a {@code masks/} folder without classes.txt
   */
  default PairLayout requireClasses() {
    if (classNames().isEmpty()) {
      throw new DatasetException(root(), "the dataset " + root() + " has masks/ but no classes.txt: write one class name per line, "
          + "in class-index order");
    }
    return this;
  }

  /**
   * Picks the layout by the folder's contents: {@code annotations/trimaps/} (Oxford) or {@code masks/} (generic).
   *
   * @throws DatasetException when the folder has neither layout
   */
  static PairLayout open(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new DatasetException(root, "the dataset " + root + " is not a directory: give a dataset folder (images/ plus "
          + "annotations/trimaps/ or masks/)");
    }
    if (!Files.isDirectory(root.resolve("images"))) {
      throw new DatasetException(root, "the dataset " + root + " has no images/ folder: an Oxford-IIIT Pet download or a folder "
          + "with images/ and masks/ is expected");
    }
    if (Files.isDirectory(root.resolve(OxfordPetsLayout.TRIMAPS))) {
      return new OxfordPetsLayout(root);
    }
    if (Files.isDirectory(root.resolve("masks"))) {
      return MaskFolderLayout.open(root);
    }
    throw new DatasetException(root, "the dataset " + root + " has images/ but neither annotations/trimaps/ (Oxford-IIIT Pet) "
        + "nor masks/ (mask pixel = class index, with classes.txt)");
  }

  /** The regular, non-hidden files in {@code dir}, sorted. */
  static List<Path> files(Path dir) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Every base name in {@code dir}, once each, sorted. */
  static List<String> baseNames(Path dir) {
    return files(dir).stream().map(PairLayout::baseName).distinct().sorted().toList();
  }

  /** The file name without its extension. */
  static String baseName(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
