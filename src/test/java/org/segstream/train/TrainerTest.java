package org.segstream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.config.InvalidSettingException;
import org.segstream.dataset.Example;
import org.segstream.model.ModelMetadata;
import org.segstream.model.SegmentationModel;
import org.segstream.synth.SyntheticScenes;

/** One real training run (50 steps of 8 synthetic scenes at 64×64), checked from several sides. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainerTest {
  private TrainResult result;

  @BeforeAll
  void train(@TempDir Path tmp) {
    TrainSettings options = TrainSettings.builder(tmp.resolve("model"))
        .inputSize(64, 64)
        .steps(50)
        .batchSize(8)
        .learningRate(0.02f)
        .seed(1)
        .validationCount(32)
        .benchSeconds(0.5)
        .command("TrainerTest")
        .build();
    result = SyntheticTrainer.train(options, ProgressListener.NONE);
  }

  @Test
  void lossAtLeastHalves() {
    List<Float> losses = result.losses();
    assertEquals(50, losses.size());
    double first = mean(losses.subList(0, 3));
    double last = mean(losses.subList(losses.size() - 5, losses.size()));
    assertTrue(last <= first / 2, "loss went from " + first + " to " + last);
  }

  @Test
  void heldOutPixelAccuracyAtLeast90Percent() {
    ModelMetadata.Metrics metrics = result.metadata().metrics();
    assertTrue(metrics.pixelAccuracy() >= 0.9, "pixel accuracy " + metrics.pixelAccuracy());
    assertTrue(metrics.foregroundIoU() > 0.5, "foreground IoU " + metrics.foregroundIoU());
    assertEquals(3, metrics.perClassIoU().size());
    assertEquals(32, result.metadata().trainedOn().validationNames().size());
  }

  @Test
  void validationScenesAreNotTrainingScenes() {
    SyntheticData data = new SyntheticData(1, 4);
    List<Example> validation = data.validation(64, 64);
    SyntheticScenes training = new SyntheticScenes(1);
    for (int i = 0; i < 400; i++) {
      byte[] rgb = training.next(64, 64).image().rgb();
      for (Example v : validation) {
        assertTrue(!java.util.Arrays.equals(rgb, v.image().rgb()), "training scene " + i + " is " + v.name());
      }
    }
  }

  @Test
  void writesTheModelContract() throws Exception {
    Path dir = result.modelDir();
    assertTrue(Files.isRegularFile(dir.resolve("saved_model.pb")));
    assertTrue(Files.isDirectory(dir.resolve("variables")));
    ModelMetadata m = ModelMetadata.read(dir.resolve(ModelMetadata.FILE_NAME));
    assertEquals(result.metadata(), m);
    assertEquals("unet-small", m.architecture());
    assertEquals(List.of("object", "background", "border"), m.classNames());
    assertEquals(1, m.backgroundClass());
    assertEquals(64, m.inputWidth());
    assertEquals(64, m.inputHeight());
    assertEquals("rgb01", m.preprocessing());
    assertEquals("synthetic", m.trainedOn().dataset());
    assertEquals(400, m.trainedOn().pairCount());
    assertTrue(m.framesPerSecond() > 0, "frames/s " + m.framesPerSecond());
    assertTrue(m.macsPerFrame() > 0);
    assertTrue(m.parameters() >= 60_000 && m.parameters() <= 120_000, "parameters " + m.parameters());
    // the arithmetic count agrees with the variables of the served graph
    try (SegmentationModel model = SegmentationModel.load(dir)) {
      assertEquals(m.parameters(), model.parameterCount());
    }
    // no work directory left beside the model
    try (var siblings = Files.list(dir.getParent())) {
      assertEquals(List.of(dir), siblings.toList());
    }
  }

  @Test
  void inferenceOnlyExport() throws Exception {
    try (SegmentationModel model = SegmentationModel.load(result.modelDir())) {
      // the optimiser's slots and the training branch stay behind
      assertTrue(model.parameterCount() < 120_000);
    }
    long savedModelBytes = Files.size(result.modelDir().resolve("saved_model.pb"));
    assertTrue(savedModelBytes < 200_000, "saved_model.pb is " + savedModelBytes + " bytes");
  }

  @Test
  void refusesToOverwriteADirectoryThatIsNotAModel(@TempDir Path tmp) throws Exception {
    Path other = tmp.resolve("not-a-model");
    Files.createDirectories(other);
    Files.writeString(other.resolve("notes.txt"), "keep me");
    TrainSettings options = TrainSettings.builder(other).inputSize(16, 16).steps(1).build();
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> SyntheticTrainer.train(options, ProgressListener.NONE));
    assertTrue(e.getMessage().contains(other.toString()), e.getMessage());
    assertEquals("keep me", Files.readString(other.resolve("notes.txt")));
  }

  @Test
  void fixedSeedReproducesTheLossCurve() {
    List<Float> a = shortRun();
    List<Float> b = shortRun();
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i), b.get(i), 1e-4 * Math.abs(a.get(i)), "step " + i);
    }
  }

  private static List<Float> shortRun() {
    SyntheticData data = new SyntheticData(5, 1);
    List<Float> losses = new ArrayList<>();
    try (TrainingGraph graph = new TrainingGraph(Architecture.UNET_SMALL, 3, Loss.CE, 0.9f, 5, 2)) {
      for (int step = 0; step < 5; step++) {
        List<Example> batch = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          batch.add(data.next(32, 32));
        }
        losses.add(graph.step(Batch.of(batch), 0.01f, step + 1));
      }
    }
    return losses;
  }

  private static double mean(List<Float> values) {
    return values.stream().mapToDouble(Float::doubleValue).average().orElseThrow();
  }
}
