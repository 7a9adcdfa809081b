package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.model.BundledModels;
import org.segstream.model.ModelSettings;

class ModelSelectionTest {
  @TempDir Path dir;

  @Test
  void aBundledModelsNameIsThatModel() {
    ModelSelection selection = new ModelSelection();
    selection.model = Path.of(BundledModels.VIDEO);
    Path resolved = selection.directory(BundledModels.LIVE);
    assertEquals(BundledModels.resolve(BundledModels.VIDEO).orElseThrow(), resolved);
    assertTrue(Files.isRegularFile(resolved.resolve("segstream-model.json")), "extracted: " + resolved);
  }

  @Test
  void aDirectoryIsTakenAsGivenEvenWhenItLooksLikeAName() throws Exception {
    ModelSelection selection = new ModelSelection();
    Path nested = Files.createDirectories(dir.resolve(BundledModels.VIDEO));
    selection.model = nested;
    assertEquals(nested, selection.directory(BundledModels.LIVE));
    assertTrue(ModelSelection.bundledByName(Path.of("no-such-model")).isEmpty(), "an unknown name stays a path");
    assertTrue(ModelSelection.bundledByName(Path.of("models", BundledModels.VIDEO)).isEmpty(), "a path is no name");
  }

  @Test
  void theGivenDirectoryIsNullWithoutModelAndResolvesANameWithIt() {
    ModelSelection selection = new ModelSelection();
    assertEquals(null, selection.givenDirectory(), "commands with a default of their own see no --model");
    selection.model = Path.of(BundledModels.VIDEO);
    assertEquals(BundledModels.resolve(BundledModels.VIDEO).orElseThrow(), selection.givenDirectory());
  }

  @Test
  void withoutModelTheDefaultIsTheBundledOneNamed() {
    assertEquals(BundledModels.resolve(BundledModels.LIVE).orElseThrow(), new ModelSelection().directory(BundledModels.LIVE));
  }

  @Test
  void theModelLeavesHalfTheCoresToTheCrfUnlessThreadsAreGiven() {
    assertEquals(1, ModelSettings.forProcessor(true, 2).intraOpThreads());
    assertEquals(4, ModelSettings.forProcessor(true, 8).intraOpThreads());
    assertEquals(1, ModelSettings.forProcessor(true, 1).intraOpThreads());
    assertEquals(ModelSettings.DEFAULT, ModelSettings.forProcessor(false, 2));

    ModelSelection selection = new ModelSelection();
    selection.interOpThreads = 1;
    int cores = Runtime.getRuntime().availableProcessors();
    assertEquals(Math.max(1, cores / 2), selection.options(true).intraOpThreads());
    assertEquals(2, selection.options(false).intraOpThreads());
    selection.intraOpThreads = 3;
    assertEquals(3, selection.options(true).intraOpThreads(), "a given count wins");
    selection.intraOpThreads = 0;
    assertThrows(UsageException.class, () -> selection.options(false));
  }
}
