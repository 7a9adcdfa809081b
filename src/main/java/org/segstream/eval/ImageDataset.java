package org.segstream.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.segstream.config.UsageException;

/**
 * A labelled image set on disk, as {@code eval --data} reads it: the Oxford-IIIT Pet layout
 * ({@code images/<name>.jpg} with {@code annotations/trimaps/<name>.png}) or the generic one ({@code images/<name>.*}
 * with {@code masks/<name>.png}). Pairs come sorted by name; images without a mask are left out.
 *
 * @param oxford true for the Oxford layout, whose masks are trimaps
 */
public record ImageDataset(Path root, boolean oxford, List<Pair> pairs) {

  /** One image and its mask; {@code name} is the image's file name without extension. */
  public record Pair(String name, Path image, Path mask) {}

  private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif", "webp");

  public ImageDataset {
    pairs = List.copyOf(pairs);
  }

  /**
   * Reads the layout of {@code root}.
   *
   * @throws UsageException when the directory has neither layout
   */
  public static ImageDataset open(Path root) {
    Path images = root.resolve("images");
    Path trimaps = root.resolve("annotations").resolve("trimaps");
    Path masks = root.resolve("masks");
    if (!Files.isDirectory(images)) {
      throw new UsageException("--data " + root + " has no images/ directory: give a dataset in the Oxford-IIIT Pet layout "
          + "(images/, annotations/trimaps/) or images/ with masks/");
    }
    boolean oxford = Files.isDirectory(trimaps);
    Path maskDir = oxford ? trimaps : masks;
    if (!Files.isDirectory(maskDir)) {
      throw new UsageException("--data " + root + " has neither annotations/trimaps/ nor masks/ beside images/");
    }
    List<Pair> pairs = new ArrayList<>();
    try (Stream<Path> list = Files.list(images)) {
      for (Path image : list.sorted().toList()) {
        String file = image.getFileName().toString();
        int dot = file.lastIndexOf('.');
        if (dot <= 0 || file.startsWith(".") || !IMAGE_EXTENSIONS.contains(file.substring(dot + 1).toLowerCase(Locale.ROOT))) {
          continue;
        }
        String name = file.substring(0, dot);
        Path mask = maskDir.resolve(name + ".png");
        if (Files.isRegularFile(mask)) {
          pairs.add(new Pair(name, image, mask));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + images + ": " + e.getMessage(), e);
    }
    if (pairs.isEmpty()) {
      throw new UsageException("--data " + root + ": no image in images/ has a mask in " + root.relativize(maskDir) + "/");
    }
    return new ImageDataset(root, oxford, pairs);
  }

  /**
   * The pairs named in {@code names} (a model's validation names: file names with or without extension).
   *
   * @throws UsageException when none of the names is in the set
   */
  public List<Pair> select(Collection<String> names) {
    Set<String> wanted = new HashSet<>();
    for (String n : names) {
      wanted.add(n);
      int dot = n.lastIndexOf('.');
      if (dot > 0) {
        wanted.add(n.substring(0, dot));
      }
    }
    List<Pair> out = pairs.stream()
        .filter(p -> wanted.contains(p.name()) || wanted.contains(p.image().getFileName().toString()))
        .toList();
    if (out.isEmpty()) {
      throw new UsageException("none of the model's " + names.size() + " validation names is in " + root
          + ": was the model trained on another dataset? use --split all");
    }
    return out;
  }
}
