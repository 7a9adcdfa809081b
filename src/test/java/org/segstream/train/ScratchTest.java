package org.segstream.train;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.*;
import java.util.*;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.segstream.image.*;

class ScratchTest {
  @Test
  void scenes() throws Exception {
    SyntheticData d = new SyntheticData(1, 4);
    BufferedImage img = new BufferedImage(128 * 4, 256, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < 4; i++) {
      Example e = d.next(128, 128);
      for (int y = 0; y < 128; y++) for (int x = 0; x < 128; x++) {
        img.setRGB(i * 128 + x, y, (e.image().get(x, y, 0) << 16) | (e.image().get(x, y, 1) << 8) | e.image().get(x, y, 2));
        int c = e.truth().get(x, y);
        img.setRGB(i * 128 + x, 128 + y, c == 0 ? 0xffffff : c == 2 ? 0xff0000 : 0);
      }
    }
    ImageIO.write(img, "png", new java.io.File("/tmp/scenes.png"));
  }

  @Test
  void train() throws Exception {
    int size = Integer.getInteger("size", 64);
    TrainOptions o = TrainOptions.builder(Files.createTempDirectory("scr").resolve("m"))
        .inputSize(size, size).steps(Integer.getInteger("steps", 50)).batchSize(Integer.getInteger("batch", 8))
        .learningRate(Float.parseFloat(System.getProperty("lr", "0.01"))).bnMomentum(Float.parseFloat(System.getProperty("mom", "0.9")))
        .seed(Long.getLong("seed", 1)).validationCount(32).benchSeconds(1).build();
    PrintWriter pw = new PrintWriter(System.out, true);
    TrainResult r = SyntheticTrainer.train(o, new ProgressBar(pw));
    System.out.println();
    System.out.println("losses " + r.losses());
    System.out.println(r.metadata().toJson());
    System.out.println("img/s " + r.imagesPerSecond() + " time " + r.trainingTime());
  }
}
