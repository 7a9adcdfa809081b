package org.segstream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.segstream.dataset.Example;
import org.segstream.dataset.PairLayout;
import org.segstream.model.BundledModels;
import org.segstream.model.ModelMetadata;
import org.segstream.model.ModelSettings;
import org.segstream.model.SegmentationModel;
import org.segstream.testing.SharedData;

/**
 * The bundled pets models load, and scoring the validation pairs their metadata lists (read from
 * ../shared/data/oxford-pets, resized as the trainer resized them) reproduces the recorded scores.
 */
class BundledPetsModelsTest {

  /** pets-live is always bundled; pets-accurate only when a model met its bar. */
  static Stream<String> bundled() {
    assertTrue(BundledModels.exists(BundledModels.LIVE), "pets-live must be bundled");
    return Stream.of(BundledModels.LIVE, BundledModels.ACCURATE).filter(BundledModels::exists);
  }

  @ParameterizedTest
  @MethodSource("bundled")
  void recordedValidationScoresAreReproduced(String name) throws Exception {
    Path dir = BundledModels.resolve(name).orElseThrow();
    PairLayout pets = PairLayout.open(SharedData.path("oxford-pets"));
    try (SegmentationModel model = SegmentationModel.load(dir, new ModelSettings(2, 1))) {
      ModelMetadata m = model.metadata();
      assertEquals(name, m.name());
      assertEquals("oxford-iiit-pet", m.trainedOn().dataset());
      assertEquals(1337, m.trainedOn().splitSeed());
      List<String> names = m.trainedOn().validationNames();
      assertTrue(names.size() >= 120, "validation pairs: " + names.size());
      List<Example> examples = new ArrayList<>();
      for (String pair : names) {
        examples.add(FolderData.resized(pets.read(pair), m.inputWidth(), m.inputHeight()));
      }
      ModelMetadata.Metrics scored = Trainer.score(model, examples, m.backgroundClass());
      assertEquals(m.metrics().mIoU(), scored.mIoU(), 0.01, "mIoU");
      assertEquals(m.metrics().foregroundIoU(), scored.foregroundIoU(), 0.01, "foreground IoU");
      for (int k = 0; k < m.classCount(); k++) {
        assertEquals(m.metrics().perClassIoU().get(k), scored.perClassIoU().get(k), 0.01, "IoU of " + m.classNames().get(k));
      }
      double bar = name.equals(BundledModels.LIVE) ? 0.65 : 0.72;
      assertTrue(scored.mIoU() >= bar, name + " mIoU " + scored.mIoU() + " is below its bar " + bar);
    }
  }
}
