package org.segstream.train;

import java.util.List;
import org.segstream.dataset.Example;

/** A batch as the graph takes it: RGB in [0, 1] NHWC and one class index per pixel NHW. */
record Batch(int size, int height, int width, float[] images, int[] labels) {

  static Batch of(List<Example> examples) {
    int n = examples.size();
    int width = examples.get(0).image().width();
    int height = examples.get(0).image().height();
    int pixels = width * height;
    float[] images = new float[n * pixels * 3];
    int[] labels = new int[n * pixels];
    for (int b = 0; b < n; b++) {
      Example e = examples.get(b);
      if (e.image().width() != width || e.image().height() != height) {
        throw new IllegalArgumentException("example " + e.name() + " is " + e.image().width() + "x"
            + e.image().height() + ", the batch is " + width + "x" + height);
      }
      byte[] rgb = e.image().rgb();
      int base = b * pixels * 3;
      for (int i = 0; i < rgb.length; i++) {
        images[base + i] = (rgb[i] & 0xff) * (1f / 255f);
      }
      byte[] truth = e.truth().labels();
      for (int i = 0; i < pixels; i++) {
        labels[b * pixels + i] = truth[i] & 0xff;
      }
    }
    return new Batch(n, height, width, images, labels);
  }
}
