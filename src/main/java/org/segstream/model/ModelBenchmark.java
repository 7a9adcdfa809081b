package org.segstream.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.segstream.image.RgbImage;

/**
 * Frames per second of {@link SegmentationModel#predict} at a batch size, at the model's fixed input size
 * or at the input size of a given frame size ({@link InputGeometry}).
 */
public final class ModelBenchmark {
  private ModelBenchmark() {}

  /**
   * @param batches session calls made
   * @param frames images processed (batches × batch size)
   * @param msPerBatch mean latency of one call
   */
  public record Throughput(int batchSize, int batches, int frames, double seconds, double framesPerSecond, double msPerBatch) {}

  /**
   * Runs one warm-up call, then calls {@code predict} with random images until {@code seconds} have
   * passed (at least {@code minBatches} calls).
   */
  public static Throughput measure(SegmentationModel model, int batchSize, double seconds, int minBatches) {
    ModelMetadata m = model.metadata();
    return measure(model, new InputGeometry.Size(m.inputWidth(), m.inputHeight()), batchSize, seconds, minBatches);
  }

  /** As {@link #measure(SegmentationModel, int, double, int)}, with images of {@code input} size. */
  public static Throughput measure(SegmentationModel model, InputGeometry.Size input, int batchSize, double seconds,
      int minBatches) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    List<RgbImage> batch = randomImages(batchSize, input.width(), input.height(), batchSize);
    model.predict(batch);
    long limit = (long) (seconds * 1e9);
    long start = System.nanoTime();
    long elapsed;
    int calls = 0;
    do {
      model.predict(batch);
      calls++;
      elapsed = System.nanoTime() - start;
    } while (elapsed < limit || calls < minBatches);
    double s = elapsed / 1e9;
    int frames = calls * batchSize;
    return new Throughput(batchSize, calls, frames, s, frames / s, 1000 * s / calls);
  }

  private static List<RgbImage> randomImages(int n, int width, int height, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<RgbImage> images = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] rgb = new byte[3 * width * height];
      for (int j = 0; j < rgb.length; j++) {
        rgb[j] = (byte) random.nextInt(256);
      }
      images.add(new RgbImage(width, height, rgb));
    }
    return images;
  }
}
