package org.segstream.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The models shipped as resources under {@code models/<name>/}. On first use a model is extracted
 * to {@code ~/.cache/segstream/models/<name>-<version>/} through a temporary directory and an atomic
 * rename, so two processes starting together are safe. A copy whose metadata is not the jar's (another
 * build of the same version, say with figures re-measured) is extracted again.
 */
public final class BundledModels {
  /** The fast model: the default of process, run and demo --input. */
  public static final String LIVE = "pets-live";
  /** The most accurate model on photos. */
  public static final String ACCURATE = "pets-accurate";
  /** The model for pets small in real video scenes: a larger input than pets-live, at about half its speed. */
  public static final String VIDEO = "pets-video";

  /** The files of a SavedModel as our exporter writes them, plus the metadata. */
  private static final List<String> FILES =
      List.of(
          ModelMetadata.FILE_NAME,
          "saved_model.pb",
          "variables/variables.index",
          "variables/variables.data-00000-of-00001");

  private BundledModels() {}

  public static Path cacheRoot() {
    String override = System.getenv("SEGSTREAM_CACHE_DIR");
    Path base = override != null ? Path.of(override) : Path.of(System.getProperty("user.home"), ".cache", "segstream");
    return base.resolve("models");
  }

  public static boolean exists(String name) {
    return BundledModels.class.getResource(resource(name, ModelMetadata.FILE_NAME)) != null;
  }

  /** The directory of the bundled model, extracted on first use; empty when no such model is bundled. */
  public static Optional<Path> resolve(String name) {
    return resolve(name, cacheRoot());
  }

  static Optional<Path> resolve(String name, Path root) {
    if (!exists(name)) {
      return Optional.empty();
    }
    try {
      byte[] metadata = bundledMetadata(name);
      Path target = root.resolve(name + "-" + versionOf(name, metadata));
      if (isCopyOf(target, metadata)) {
        return Optional.of(target);
      }
      Files.createDirectories(root);
      if (Files.exists(target)) {
        // another build's copy of this version: moved aside (a process using it keeps its files), then removed
        Path stale = Files.createTempDirectory(root, "." + name + "-stale-");
        try {
          Files.move(target, stale.resolve("model"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          // another process moved it first
        }
        deleteRecursively(stale);
      }
      Path temp = Files.createTempDirectory(root, "." + name + "-extract-");
      try {
        for (String file : FILES) {
          try (InputStream in = BundledModels.class.getResourceAsStream(resource(name, file))) {
            if (in == null) {
              throw new IllegalStateException("bundled model " + name + " lacks " + file + ": the jar is incomplete, rebuild it");
            }
            Path dest = temp.resolve(file);
            Files.createDirectories(dest.getParent());
            Files.copy(in, dest);
          }
        }
        try {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
          // another process extracted it first; theirs is complete because it arrived by rename
          if (!isCopyOf(target, metadata)) {
            throw e;
          }
        } catch (IOException e) {
          if (!isCopyOf(target, metadata)) {
            throw e;
          }
        }
      } finally {
        deleteRecursively(temp);
      }
      return Optional.of(target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the bundled model " + name + " to " + cacheRoot() + ": " + e.getMessage(), e);
    }
  }

  private static boolean isCopyOf(Path target, byte[] metadata) throws IOException {
    Path file = target.resolve(ModelMetadata.FILE_NAME);
    return Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), metadata);
  }

  private static byte[] bundledMetadata(String name) throws IOException {
    try (InputStream in = BundledModels.class.getResourceAsStream(resource(name, ModelMetadata.FILE_NAME))) {
      return in.readAllBytes();
    }
  }

  private static String versionOf(String name, byte[] metadata) throws IOException {
    String version = new ObjectMapper().readTree(metadata).path("version").asText("");
    if (version.isBlank()) {
      throw new IllegalStateException("bundled model " + name + " has no version in its " + ModelMetadata.FILE_NAME);
    }
    return version.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static String resource(String name, String file) {
    return "/models/" + name + "/" + file;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
