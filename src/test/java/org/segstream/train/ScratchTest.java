package org.segstream.train;

import java.nio.file.*;
import java.util.*;
import org.junit.jupiter.api.Test;
import org.segstream.image.*;
import org.segstream.model.*;

class ScratchTest {
  static Example disk(Random r, int w, int h, int i) {
    byte[] rgb = new byte[w * h * 3];
    byte[] lab = new byte[w * h];
    int cx = r.nextInt(w), cy = r.nextInt(h), rad = 6 + r.nextInt(Math.min(w, h) / 3);
    int[] bg = {r.nextInt(256), r.nextInt(256), r.nextInt(256)};
    int[] fg = {r.nextInt(256), r.nextInt(256), r.nextInt(256)};
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
      double d = Math.hypot(x - cx, y - cy);
      int cls = d < rad - 1 ? 0 : d < rad + 1 ? 2 : 1;
      int[] c = cls == 1 ? bg : fg;
      int p = y * w + x;
      lab[p] = (byte) cls;
      for (int k = 0; k < 3; k++) rgb[3 * p + k] = (byte) Math.max(0, Math.min(255, c[k] + r.nextInt(21) - 10));
    }
    return new Example("s" + i, new RgbImage(w, h, rgb), new LabelMap(w, h, lab));
  }

  @Test
  void smoke() throws Exception {
    Random r = new Random(1);
    long t0 = System.nanoTime();
    try (TrainingGraph g = new TrainingGraph(Architecture.UNET_SMALL, 3, 0.01f, 0.9f, 7, 2)) {
      System.out.println("params " + g.parameterCount() + " build " + (System.nanoTime() - t0) / 1e6);
      for (int s = 0; s < 30; s++) {
        List<Example> ex = new ArrayList<>();
        for (int i = 0; i < 8; i++) ex.add(disk(r, 64, 64, i));
        long t = System.nanoTime();
        float loss = g.step(Batch.of(ex));
        System.out.println(s + " loss " + loss + " " + (System.nanoTime() - t) / 1e6 + " ms");
      }
      Path dir = Files.createTempDirectory("scratch");
      g.save(dir.resolve("ckpt"));
      Path model = dir.resolve("model");
      ModelExporter.export(Architecture.UNET_SMALL, 3, dir.resolve("ckpt"), model);
      new ModelMetadata("t", "1", "unet-small", 64, 64, List.of("object", "background", "border"), 1, "rgb01", 1, 1, 0, "m", null, null, "c", "now").write(model.resolve(ModelMetadata.FILE_NAME));
      try (SegmentationModel m = SegmentationModel.load(model)) {
        List<Example> ex = new ArrayList<>();
        for (int i = 0; i < 2; i++) ex.add(disk(r, 127, 93, i));
        Batch b = Batch.of(ex);
        float[] a = g.infer(b);
        List<ProbabilityMap> p = m.predict(ex.stream().map(Example::image).toList());
        double maxd = 0;
        for (int i = 0; i < 2; i++) for (int j = 0; j < p.get(i).values().length; j++) maxd = Math.max(maxd, Math.abs(p.get(i).values()[j] - a[i * p.get(i).values().length + j]));
        System.out.println("maxdiff " + maxd + " params " + m.parameterCount() + " " + p.get(0).width() + "x" + p.get(0).height());
      }
    }
  }
}
