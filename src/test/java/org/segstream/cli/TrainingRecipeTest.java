package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingRecipeTest {
  @Test
  void inputsAreNamedRelativeToTheDataRootAndLocalOutputsAreLeftOut() {
    Path root = Path.of("/work/shared/data");
    String recipe = TrainingRecipe.of(List.of("train", "--data", "/work/shared/data/oxford-pets", "--arch",
        "mobilenet-v2-unet", "--backgrounds=/work/shared/data/davis/JPEGImages/480p/blackswan,/elsewhere/textures",
        "--out", "/work/runs/pets-live", "--checkpoint-dir=/work/runs/ckpt", "--resume", "--log-progress",
        "--epochs", "40"), root);
    assertEquals("segstream train --data oxford-pets --arch mobilenet-v2-unet --backgrounds"
        + " davis/JPEGImages/480p/blackswan,/elsewhere/textures --epochs 40", recipe);
  }

  @Test
  void aRelativeDataPathIsResolvedBeforeItIsMadeRelative() {
    Path root = Path.of("../shared/data").toAbsolutePath().normalize();
    assertEquals("segstream train --data oxford-pets",
        TrainingRecipe.of(List.of("train", "--data=../shared/data/oxford-pets"), root));
  }
}
