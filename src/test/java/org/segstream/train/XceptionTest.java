package org.segstream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** unet-xception: the Keras U-Net-like pets model's size, built for real in a graph. */
class XceptionTest {
  @Test
  void buildsWithAboutTwoMillionParametersAndOneGigaMacAt160() {
    long counted = UNet.parameterCount(Architecture.UNET_XCEPTION, 3);
    assertTrue(counted >= 2_000_000 && counted <= 2_100_000, "parameters: " + counted);
    try (TrainingGraph graph = new TrainingGraph(Architecture.UNET_XCEPTION, 3, Loss.CE, 0.9f, 1, 2)) {
      assertEquals(counted, graph.parameterCount(), "the graph's variables match the count");
    }
    long macs = UNet.macsPerFrame(Architecture.UNET_XCEPTION, 3, 160, 160);
    assertTrue(macs > 0.9e9 && macs < 1.1e9, "multiply-adds at 160x160: " + macs);
  }

  @Test
  void runsOnOddSizesAndOutputsTheInputSize() {
    try (TrainingGraph graph = new TrainingGraph(Architecture.UNET_XCEPTION, 3, Loss.CE_DICE, 0.9f, 1, 2)) {
      SyntheticData data = new SyntheticData(2, 1);
      Batch batch = Batch.of(java.util.List.of(data.next(37, 21), data.next(37, 21)));
      float loss = graph.step(batch, 1e-3f, 1);
      assertTrue(Float.isFinite(loss) && loss > 0, "loss " + loss);
      float[] p = graph.infer(batch);
      assertEquals(2 * 37 * 21 * 3, p.length);
      assertEquals(1f, p[0] + p[1] + p[2], 1e-4f);
    }
  }
}
