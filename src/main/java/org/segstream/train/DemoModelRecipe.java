package org.segstream.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.segstream.model.BundledModels;
import org.segstream.model.ModelMetadata;

/**
 * The demo's synthetic-scene model: a small U-Net trained on synthetic scenes for a fixed step count (so the model
 * does not depend on the machine's speed), cached beside the bundled models under a name that carries everything that
 * changes it, so another recipe or step count trains anew. Training writes into a temporary directory that is renamed
 * into place, so two processes training together leave one complete model.
 */
public final class DemoModelRecipe {
  /** Bump when the recipe changes, so a stale cached model is not reused. */
  static final String RECIPE = "demo-synthetic-v2";

  private DemoModelRecipe() {}

  /** The cache directory name of a recipe run for {@code steps} (and a wall-clock cap, 0 for none). */
  public static String name(int steps, double maxSeconds) {
    return RECIPE + "-" + steps + "steps" + (maxSeconds > 0 ? "-" + maxSeconds + "s" : "");
  }

  /**
   * The cached model of this recipe, else one trained now (about a minute on 2 cores for 600 steps) and cached.
   *
   * @param log where training progress goes
   */
  public static Path cachedOrTrained(int steps, double maxSeconds, PrintWriter log) throws IOException {
    String recipe = name(steps, maxSeconds);
    Path cached = BundledModels.cacheRoot().resolve(recipe);
    if (Files.isRegularFile(cached.resolve(ModelMetadata.FILE_NAME))) {
      log.printf("demo: using the cached synthetic-scene model %s%n", cached);
      log.flush();
      return cached;
    }
    Files.createDirectories(cached.getParent());
    Path temp = Files.createTempDirectory(cached.getParent(), "." + recipe + "-");
    log.printf("demo: training the synthetic-scene model for %d steps (cached in %s afterwards)%n", steps, cached);
    log.flush();
    TrainSettings options =
        TrainSettings.builder(temp.resolve("model"))
            .architecture(Architecture.UNET_SMALL)
            .inputSize(160, 96)
            .steps(steps)
            .maxSeconds(maxSeconds)
            .batchSize(8)
            .learningRate(0.01f)
            .seed(1337)
            .name("demo-synthetic")
            .version("1")
            .command("segstream demo (trains " + recipe + ")")
            .build();
    SyntheticTrainer.train(options, new ProgressPrinter(log));
    try {
      Files.move(temp.resolve("model"), cached, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // another process cached it first; theirs is complete because it arrived by rename
      if (!Files.isRegularFile(cached.resolve(ModelMetadata.FILE_NAME))) {
        throw e;
      }
    }
    return cached;
  }
}
