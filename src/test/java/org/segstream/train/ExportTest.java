package org.segstream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.dataset.Example;
import org.segstream.image.ProbabilityMap;
import org.segstream.model.ModelMetadata;
import org.segstream.model.SegmentationModel;

class ExportTest {
  @TempDir Path tmp;

  /**
   * The exported SavedModel, loaded the way the processor loads it, gives the training graph's
   * inference-branch output within 1e-5 — at 127×93, a size not divisible by the pooling factor.
   */
  @Test
  void exportedModelMatchesTrainingGraphAtOddSizes() throws Exception {
    SyntheticData data = new SyntheticData(3, 1);
    Path modelDir = tmp.resolve("model");
    List<Example> odd = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      odd.add(data.next(127, 93));
    }
    Batch oddBatch = Batch.of(odd);
    float[] expected;
    try (TrainingGraph graph = new TrainingGraph(Architecture.UNET_SMALL, 3, Loss.CE, 0.9f, 3, 2)) {
      // a few steps so weights and moving statistics are not at their initial values
      for (int step = 0; step < 8; step++) {
        List<Example> batch = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          batch.add(data.next(48, 48));
        }
        graph.step(Batch.of(batch), 0.01f, step + 1);
      }
      expected = graph.infer(oddBatch);
      graph.save(tmp.resolve("ckpt").resolve("ckpt"));
    }
    ModelExporter.export(Architecture.UNET_SMALL, 3, tmp.resolve("ckpt").resolve("ckpt"), modelDir);
    new ModelMetadata("export-test", "1", "unet-small", 48, 48, List.of("object", "background", "border"), 1,
        ModelMetadata.RGB01, UNet.parameterCount(Architecture.UNET_SMALL, 3), 0, 0, "test", null, null, "ExportTest",
        "2026-01-01T00:00:00Z").write(modelDir.resolve(ModelMetadata.FILE_NAME));

    try (SegmentationModel model = SegmentationModel.load(modelDir)) {
      List<ProbabilityMap> maps = model.predict(odd.stream().map(Example::image).toList());
      assertEquals(3, maps.size());
      double maxDiff = 0;
      int offset = 0;
      for (ProbabilityMap map : maps) {
        assertEquals(127, map.width());
        assertEquals(93, map.height());
        assertEquals(3, map.classes());
        for (int i = 0; i < map.values().length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(map.values()[i] - expected[offset + i]));
        }
        offset += map.values().length;
        float sum = map.values()[0] + map.values()[1] + map.values()[2];
        assertEquals(1f, sum, 1e-5, "softmax over the class axis");
      }
      assertTrue(maxDiff <= 1e-5, "max |exported - training graph| = " + maxDiff);
      assertEquals(UNet.parameterCount(Architecture.UNET_SMALL, 3), model.parameterCount());
    }
  }

  @Test
  void macsCountTheConvolutionsAtEachLevel() {
    // 64×64: levels 64, 32, 16, 8; enc/dec convs as listed in UNet.convs
    long expected = 0;
    int[] w = Architecture.UNET_SMALL.widths();
    int[] side = {64, 32, 16, 8};
    int in = 3;
    for (int l = 0; l < 4; l++) {
      expected += (long) side[l] * side[l] * 9 * (in * w[l] + w[l] * w[l]);
      in = w[l];
    }
    for (int l = 2; l >= 0; l--) {
      expected += (long) side[l] * side[l] * 9 * ((in + w[l]) * w[l] + w[l] * w[l]);
      in = w[l];
    }
    expected += 64L * 64 * w[0] * 3;
    assertEquals(expected, UNet.macsPerFrame(Architecture.UNET_SMALL, 3, 64, 64));
  }
}
