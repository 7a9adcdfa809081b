package org.segstream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.dataset.Example;
import org.segstream.image.ProbabilityMap;
import org.segstream.image.RgbImage;
import org.segstream.model.InputGeometry;
import org.segstream.model.ModelMetadata;
import org.segstream.model.SegmentationModel;

/** A tiny real training run aspect-true: batches at the common aspects' sizes, the rule in the exported metadata. */
class AspectTrueTrainingTest {
  /** Synthetic scenes, remembering the size of every example asked for. */
  private static final class Recording implements TrainingData {
    private final SyntheticData scenes = new SyntheticData(5, 10);
    private final List<InputGeometry.Size> sizes = new ArrayList<>();

    @Override
    public String dataset() {
      return scenes.dataset();
    }

    @Override
    public List<String> classNames() {
      return scenes.classNames();
    }

    @Override
    public int backgroundClass() {
      return scenes.backgroundClass();
    }

    @Override
    public long splitSeed() {
      return scenes.splitSeed();
    }

    @Override
    public int pairCount() {
      return 0;
    }

    @Override
    public void skipTo(long examplesDrawn) {
      scenes.skipTo(examplesDrawn);
    }

    @Override
    public synchronized Example next(int width, int height) {
      sizes.add(new InputGeometry.Size(width, height));
      return scenes.next(width, height);
    }

    @Override
    public List<Example> validation(int width, int height) {
      return scenes.validation(width, height);
    }

    @Override
    public List<Example> validation(InputGeometry geometry) {
      return scenes.validation(geometry);
    }

    synchronized List<InputGeometry.Size> sizes() {
      return List.copyOf(sizes);
    }
  }

  @Test
  void trainsAtTheCommonAspectsAndExportsTheRule(@TempDir Path tmp) throws Exception {
    TrainSettings options = TrainSettings.builder(tmp.resolve("model"))
        .aspectTrueInput(64, 32)
        .steps(12)
        .batchSize(2)
        .seed(3)
        .threads(1)
        .benchSeconds(0.2)
        .calibrationBatches(2)
        .command("AspectTrueTrainingTest")
        .build();
    assertEquals(List.of(64, 32), List.of(options.inputWidth(), options.inputHeight()), "a 16:9 frame's size");
    Recording data = new Recording();
    TrainResult result = Trainer.train(options, data, ProgressListener.NONE);

    TrainGeometry geometry = TrainGeometry.of(options);
    Set<InputGeometry.Size> allowed = new HashSet<>(geometry.sizes());
    List<InputGeometry.Size> asked = data.sizes();
    assertEquals((12 + 2) * 2, asked.size(), "12 steps and 2 calibration batches of 2");
    assertTrue(allowed.containsAll(asked), "sizes asked " + asked + ", allowed " + allowed);
    assertTrue(new HashSet<>(asked).size() >= 3, "batches at several geometries: " + new HashSet<>(asked));
    for (int b = 0; b < asked.size(); b += 2) {
      assertEquals(asked.get(b), asked.get(b + 1), "one size per batch");
      assertEquals(geometry.sizeOfStep(b / 2), asked.get(b), "batch " + b / 2 + " at its step's size");
    }

    ModelMetadata written = ModelMetadata.read(result.modelDir().resolve(ModelMetadata.FILE_NAME));
    assertEquals(new ModelMetadata.AspectTrueInput(64, 32), written.aspectTrueInput());
    assertEquals(List.of(64, 32), List.of(written.inputWidth(), written.inputHeight()));
    assertFalse(Double.isNaN(written.metrics().pixelAccuracy()), "scored on the validation scenes of every aspect");
    assertTrue(written.framesPerSecond() > 0);
    try (SegmentationModel model = SegmentationModel.load(result.modelDir())) {
      InputGeometry.Size portrait = model.metadata().inputSizeFor(480, 854);
      assertEquals(new InputGeometry.Size(32, 64), portrait);
      List<ProbabilityMap> maps = model.predict(List.of(RgbImage.blank(portrait.width(), portrait.height())));
      assertEquals(List.of(32, 64), List.of(maps.get(0).width(), maps.get(0).height()));
    }
  }

  @Test
  void sizesFollowTheStepAlone() {
    TrainSettings options = TrainSettings.builder(Path.of("unused")).aspectTrueInput(224, 32).seed(9).build();
    TrainGeometry a = TrainGeometry.of(options);
    TrainGeometry b = TrainGeometry.of(options);
    Set<InputGeometry.Size> seen = new HashSet<>();
    for (long step = 0; step < 200; step++) {
      assertEquals(a.sizeOfStep(step), b.sizeOfStep(step));
      seen.add(a.sizeOfStep(step));
    }
    assertEquals(Set.of(new InputGeometry.Size(224, 128), new InputGeometry.Size(224, 160),
        new InputGeometry.Size(224, 224), new InputGeometry.Size(160, 224), new InputGeometry.Size(128, 224)), seen);
    TrainSettings stretched = TrainSettings.builder(Path.of("unused")).inputSize(96, 80).build();
    assertEquals(List.of(new InputGeometry.Size(96, 80)), TrainGeometry.of(stretched).sizes());
    assertEquals(null, TrainGeometry.of(stretched).aspectTrueInput());
  }
}
