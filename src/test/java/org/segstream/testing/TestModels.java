package org.segstream.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.segstream.model.ModelMetadata;
import org.segstream.train.SyntheticTrainer;

/**
 * A real, tiny SavedModel trained on synthetic scenes, shared by the tests of one build through
 * {@code target/test-models/tiny} (trained once, published by an atomic rename).
 */
public final class TestModels {
  private TestModels() {}

  public static Path tiny() {
    Path root = Path.of(System.getProperty("segstream.test.models", "target/test-models")).toAbsolutePath();
    Path target = root.resolve("tiny");
    if (Files.isRegularFile(target.resolve(ModelMetadata.FILE_NAME))) {
      return target;
    }
    try {
      Files.createDirectories(root);
      Path temp = Files.createTempDirectory(root, ".tiny-");
      Path model = temp.resolve("model");
      SyntheticTrainer.tinyModel(model);
      try {
        Files.move(model, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        // another test JVM published it first
        if (!Files.isRegularFile(target.resolve(ModelMetadata.FILE_NAME))) {
          throw e;
        }
      }
      return target;
    } catch (IOException e) {
      throw new IllegalStateException("cannot train the tiny test model into " + root, e);
    }
  }

  /**
   * A copy of the SavedModel in {@code model} into {@code into} whose metadata asks for aspect-true input (long
   * side {@code longSide}, short side a multiple of {@code multiple}); the U-Nets are fully convolutional, so the
   * same graph runs at any size the strides divide.
   */
  public static Path withAspectTrueInput(Path model, Path into, int longSide, int multiple) throws IOException {
    try (Stream<Path> files = Files.walk(model)) {
      for (Path file : files.toList()) {
        Path target = into.resolve(model.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    ModelMetadata m = ModelMetadata.read(model.resolve(ModelMetadata.FILE_NAME));
    new ModelMetadata(m.name() + "-aspect-true", m.version(), m.architecture(), longSide, longSide,
        List.copyOf(m.classNames()), m.backgroundClass(), m.preprocessing(), m.parameters(), m.macsPerFrame(),
        m.framesPerSecond(), m.machine(), m.trainedOn(), m.metrics(), m.command(), m.createdAt(),
        new ModelMetadata.AspectTrueInput(longSide, multiple))
        .write(into.resolve(ModelMetadata.FILE_NAME));
    return into;
  }
}
