package org.segstream.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
}
