package org.segstream.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.image.ProbabilityMap;
import org.segstream.image.RgbImage;
import org.segstream.synth.SyntheticScenes;
import org.segstream.train.SyntheticTrainer;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Loading, checking and serving a real trained model (the tiny one integration tests use). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SegmentationModelTest {
  private static final List<String> CLASSES = List.of("object", "background", "border");

  private Path modelDir;

  @BeforeAll
  void trainTinyModel(@TempDir Path tmp) {
    modelDir = SyntheticTrainer.tinyModel(tmp.resolve("tiny")).modelDir();
  }

  @Test
  void tinyModelSegmentsSyntheticScenes() {
    try (SegmentationModel model = SegmentationModel.load(modelDir)) {
      ModelMetadata m = model.metadata();
      assertEquals(64, m.inputWidth());
      assertEquals(CLASSES, m.classNames());
      assertTrue(m.metrics().pixelAccuracy() > 0.85, "tiny model pixel accuracy " + m.metrics().pixelAccuracy());
      List<RgbImage> images = scenes(2, 64, 64, 11);
      List<ProbabilityMap> maps = model.predict(images);
      assertEquals(2, maps.size());
      for (ProbabilityMap map : maps) {
        for (int i = 0; i < 64 * 64; i++) {
          float sum = map.values()[3 * i] + map.values()[3 * i + 1] + map.values()[3 * i + 2];
          assertEquals(1f, sum, 1e-5);
        }
      }
    }
  }

  @Test
  void anyImageSizeWorks() {
    try (SegmentationModel model = SegmentationModel.load(modelDir)) {
      List<ProbabilityMap> maps = model.predict(scenes(1, 127, 93, 3));
      assertEquals(127, maps.get(0).width());
      assertEquals(93, maps.get(0).height());
      assertEquals(3, maps.get(0).classes());
      assertEquals(List.of(), model.predict(List.of()));
    }
  }

  /** Each image of a batch gets its own map, in order: the same as when it is sent alone. */
  @Test
  void eachMapOfABatchIsThatImagesOwn() {
    try (SegmentationModel model = SegmentationModel.load(modelDir)) {
      List<RgbImage> images = scenes(3, 80, 48, 21);
      List<ProbabilityMap> together = model.predict(images);
      assertEquals(3, together.size());
      for (int i = 0; i < images.size(); i++) {
        ProbabilityMap alone = model.predict(List.of(images.get(i))).get(0);
        assertArrayEquals(alone.values(), together.get(i).values(), 1e-5f, "image " + i);
      }
      assertFalse(Arrays.equals(together.get(0).values(), together.get(1).values()), "different scenes, different maps");
    }
  }

  @Test
  void concurrentCallersGetTheSequentialResults() throws Exception {
    int threads = 4;
    List<List<RgbImage>> batches = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      batches.add(scenes(1 + t, 64, 64, 100 + t));
    }
    try (SegmentationModel model = SegmentationModel.load(modelDir)) {
      List<List<ProbabilityMap>> sequential = new ArrayList<>();
      for (List<RgbImage> batch : batches) {
        sequential.add(model.predict(batch));
      }
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<List<ProbabilityMap>>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          List<RgbImage> batch = batches.get(t);
          Callable<List<List<ProbabilityMap>>> call = () -> {
            start.await();
            List<List<ProbabilityMap>> repeated = new ArrayList<>();
            for (int r = 0; r < 5; r++) {
              repeated.add(model.predict(batch));
            }
            return repeated;
          };
          futures.add(pool.submit(call));
        }
        start.countDown();
        for (int t = 0; t < threads; t++) {
          for (List<ProbabilityMap> concurrent : futures.get(t).get(60, TimeUnit.SECONDS)) {
            assertEquals(sequential.get(t).size(), concurrent.size());
            for (int i = 0; i < concurrent.size(); i++) {
              assertArrayEquals(sequential.get(t).get(i).values(), concurrent.get(i).values(), 1e-5f,
                  "thread " + t + " image " + i);
            }
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void refusesMixedSizesAndUseAfterClose() {
    SegmentationModel model = SegmentationModel.load(modelDir);
    List<RgbImage> mixed = List.of(RgbImage.blank(64, 64), RgbImage.blank(32, 64));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.predict(mixed));
    assertTrue(e.getMessage().contains("64x64") && e.getMessage().contains("32x64"), e.getMessage());
    model.close();
    model.close();
    assertThrows(IllegalStateException.class, () -> model.predict(List.of(RgbImage.blank(64, 64))));
  }

  @Test
  void refusesAMissingDirectory(@TempDir Path tmp) {
    Path missing = tmp.resolve("no-such-model");
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> SegmentationModel.load(missing));
    assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void refusesADirectoryWithoutMetadata(@TempDir Path tmp) throws Exception {
    Path dir = copyModel(tmp);
    Files.delete(dir.resolve(ModelMetadata.FILE_NAME));
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> SegmentationModel.load(dir));
    assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("has no segstream-model.json"),
        e.getMessage());
  }

  @Test
  void refusesADirectoryWithoutSavedModel(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("meta-only");
    Files.createDirectories(dir);
    Files.copy(modelDir.resolve(ModelMetadata.FILE_NAME), dir.resolve(ModelMetadata.FILE_NAME));
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> SegmentationModel.load(dir));
    assertTrue(e.getMessage().contains("has no saved_model.pb"), e.getMessage());
  }

  @Test
  void refusesMetadataWithAnotherClassCount(@TempDir Path tmp) throws Exception {
    Path dir = copyModel(tmp);
    ModelMetadata m = ModelMetadata.read(dir.resolve(ModelMetadata.FILE_NAME));
    withClasses(m, List.of("object", "background")).write(dir.resolve(ModelMetadata.FILE_NAME));
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> SegmentationModel.load(dir));
    assertTrue(e.getMessage().contains("outputs 3 classes") && e.getMessage().contains("names 2"), e.getMessage());
  }

  @Test
  void refusesASignatureWithoutTheImageInput(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("wrong-input");
    exportSoftmaxModel(dir, "pixels", "probabilities", "serve");
    metadata(3).write(dir.resolve(ModelMetadata.FILE_NAME));
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> SegmentationModel.load(dir));
    assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("no input 'image'")
        && e.getMessage().contains("[pixels]"), e.getMessage());
  }

  @Test
  void refusesASignatureWithoutTheProbabilitiesOutput(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("wrong-output");
    exportSoftmaxModel(dir, "image", "scores", "serve");
    metadata(3).write(dir.resolve(ModelMetadata.FILE_NAME));
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> SegmentationModel.load(dir));
    assertTrue(e.getMessage().contains("no output 'probabilities'"), e.getMessage());
  }

  @Test
  void refusesASavedModelWithoutTheServeTag(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("wrong-tag");
    exportSoftmaxModel(dir, "image", "probabilities", "train");
    metadata(3).write(dir.resolve(ModelMetadata.FILE_NAME));
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> SegmentationModel.load(dir));
    assertTrue(e.getMessage().contains("tag 'serve'") && e.getMessage().contains(dir.toString()), e.getMessage());
  }

  @Test
  void probesTheClassCountWhenTheGraphLeavesItOpen(@TempDir Path tmp) throws Exception {
    // softmax over the input's own last axis: 3 channels in, 3 "classes" out, channel count unknown statically
    Path dir = tmp.resolve("probe");
    exportSoftmaxModel(dir, "image", "probabilities", "serve");
    metadata(4).write(dir.resolve(ModelMetadata.FILE_NAME));
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> SegmentationModel.load(dir));
    assertTrue(e.getMessage().contains("outputs 3 classes"), e.getMessage());
    metadata(3).write(dir.resolve(ModelMetadata.FILE_NAME));
    try (SegmentationModel model = SegmentationModel.load(dir)) {
      ProbabilityMap map = model.predict(List.of(RgbImage.blank(5, 4))).get(0);
      assertEquals(1f / 3, map.values()[0], 1e-6);
    }
  }

  /** A one-op model: softmax over the channels of an input of shape [?, ?, ?, ?], exported with the given names. */
  private static void exportSoftmaxModel(Path dir, String inputName, String outputName, String tag) throws Exception {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> input = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, -1)));
      Operand<TFloat32> output = tf.withName("y").nn.softmax(input);
      try (Session session = new Session(g)) {
        SavedModelBundle.exporter(dir.toString())
            .withTags(tag)
            .withSession(session)
            .withSignature(Signature.builder("serving_default").input(inputName, input).output(outputName, output).build())
            .export();
      }
    }
  }

  private static ModelMetadata metadata(int classes) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < classes; i++) {
      names.add("class" + i);
    }
    return new ModelMetadata("test", "1", "softmax", 8, 8, names, 0, ModelMetadata.RGB01, 0, 0, 0, "test", null, null,
        "test", "2026-01-01T00:00:00Z");
  }

  private static ModelMetadata withClasses(ModelMetadata m, List<String> classes) {
    return new ModelMetadata(m.name(), m.version(), m.architecture(), m.inputHeight(), m.inputWidth(), classes, 1,
        m.preprocessing(), m.parameters(), m.macsPerFrame(), m.framesPerSecond(), m.machine(), m.trainedOn(),
        m.metrics(), m.command(), m.createdAt());
  }

  private Path copyModel(Path tmp) throws Exception {
    Path copy = tmp.resolve("copy");
    try (var paths = Files.walk(modelDir)) {
      for (Path p : paths.toList()) {
        Files.copy(p, copy.resolve(modelDir.relativize(p).toString()));
      }
    }
    return copy;
  }

  private static List<RgbImage> scenes(int n, int width, int height, long seed) {
    SyntheticScenes scenes = new SyntheticScenes(seed);
    List<RgbImage> images = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      images.add(scenes.next(width, height).image());
    }
    return images;
  }
}
