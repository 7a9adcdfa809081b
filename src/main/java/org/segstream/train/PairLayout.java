package org.segstream.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.segstream.config.UsageException;

/**
 * A folder of labelled image pairs on disk: which pairs there are and how to read one at full
 * size. The two layouts are the Oxford-IIIT Pet download and plain {@code images/} + {@code masks/}
 * folders; {@link FolderData} preloads either for training.
 */
public sealed interface PairLayout permits OxfordPetsLayout, MaskFolderLayout {
  /** Written to {@code trainedOn.dataset}. */
  String dataset();

  Path root();

  List<String> classNames();

  int backgroundClass();

  /** Every pair name the folder offers (images with or without masks), sorted. */
  List<String> names();

  /**
   * Reads one pair at its stored size.
   *
   * @throws SkippedPairException when the pair cannot be used (unreadable image, missing mask, sizes differ...)
   */
  Example read(String name) throws SkippedPairException;

  /** Picks the layout by the folder's contents: {@code annotations/trimaps/} (Oxford) or {@code masks/} (generic). */
  static PairLayout open(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new UsageException("--data " + root + " is not a directory: give a dataset folder (images/ plus "
          + "annotations/trimaps/ or masks/)");
    }
    if (!Files.isDirectory(root.resolve("images"))) {
      throw new UsageException("--data " + root + " has no images/ folder: an Oxford-IIIT Pet download or a folder "
          + "with images/ and masks/ is expected");
    }
    if (Files.isDirectory(root.resolve(OxfordPetsLayout.TRIMAPS))) {
      return new OxfordPetsLayout(root);
    }
    if (Files.isDirectory(root.resolve("masks"))) {
      return MaskFolderLayout.open(root);
    }
    throw new UsageException("--data " + root + " has images/ but neither annotations/trimaps/ (Oxford-IIIT Pet) "
        + "nor masks/ (mask pixel = class index, with classes.txt)");
  }

  /** File names without extension of the regular, non-hidden files in {@code dir}, mapped by base name. */
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

  static String baseName(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
