package org.segstream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.image.ProbabilityMap;
import org.segstream.image.RgbImage;
import org.segstream.model.SegmentationModel;
import org.segstream.synth.SyntheticScenes;

/** A flip-averaging export is mirror-symmetric by construction and says so in its metadata. */
class FlipAverageExportTest {
  @Test
  void mirroredFrameGivesMirroredProbabilities(@TempDir Path tmp) {
    TrainSettings options = TrainSettings.builder(tmp.resolve("model"))
        .inputSize(32, 24).steps(3).batchSize(4).seed(2).validationCount(2).benchSeconds(0.2)
        .calibrationBatches(1).flipAverage(true).name("flip").command("FlipAverageExportTest").build();
    TrainResult result = SyntheticTrainer.train(options, ProgressListener.NONE);
    assertEquals("unet-small" + Trainer.FLIP_SUFFIX, result.metadata().architecture());
    assertEquals(2 * UNet.macsPerFrame(Architecture.UNET_SMALL, 3, 32, 24), result.metadata().macsPerFrame());

    RgbImage image = new SyntheticScenes(9).next(32, 24).image();
    RgbImage mirrored = mirror(image);
    try (SegmentationModel model = SegmentationModel.load(result.modelDir())) {
      List<ProbabilityMap> p = model.predict(List.of(image, mirrored));
      ProbabilityMap a = p.get(0);
      ProbabilityMap b = p.get(1);
      float worst = 0;
      for (int y = 0; y < 24; y++) {
        for (int x = 0; x < 32; x++) {
          for (int k = 0; k < 3; k++) {
            float va = a.values()[(y * 32 + x) * 3 + k];
            float vb = b.values()[(y * 32 + (31 - x)) * 3 + k];
            worst = Math.max(worst, Math.abs(va - vb));
          }
        }
      }
      assertTrue(worst < 1e-5f, "largest asymmetry " + worst);
    }
  }

  private static RgbImage mirror(RgbImage image) {
    int w = image.width();
    byte[] out = new byte[image.rgb().length];
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < w; x++) {
        System.arraycopy(image.rgb(), 3 * (y * w + x), out, 3 * (y * w + (w - 1 - x)), 3);
      }
    }
    return new RgbImage(w, image.height(), out);
  }
}
