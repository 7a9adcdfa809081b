package org.segstream.process;

import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.segstream.image.EncodedImage;
import org.segstream.image.ImageCodec;
import org.segstream.image.ImageEncoding;
import org.segstream.image.RgbImage;
import org.segstream.model.InputGeometry;
import org.segstream.model.SegmentationModel;
import org.segstream.segment.FrameOutcome;
import org.segstream.segment.FrameSegmenter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Warms a model up before the processor is fed: TensorFlow's first calls and the JVM's compilation off the first frames. */
final class ModelWarmUp {
  private static final Logger log = LoggerFactory.getLogger(ModelWarmUp.class);

  private ModelWarmUp() {}

  /**
   * A few batches of a synthetic frame through the whole segmenter before the first real frame:
   * TensorFlow optimises the graph on its first calls and the JVM compiles the decode and
   * post-processing loops, which would otherwise land on the first frames' latency. The rounds after
   * the first (TensorFlow's costly one) run only while {@code framesFlow} is false: once real frames
   * flow, they warm up the rest, and after a crash getting results out matters more than the latency
   * of the first few.
   */
  static void run(SegmentationModel model, ProcessorSettings settings, BooleanSupplier framesFlow) {
    int w = 640;
    int h = 360;
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = 3 * (y * w + x);
        boolean inside = (x - 320) * (x - 320) + (y - 180) * (y - 180) < 120 * 120;
        rgb[i] = (byte) (inside ? 200 : x * 255 / w);
        rgb[i + 1] = (byte) (inside ? 150 : y * 255 / h);
        rgb[i + 2] = (byte) (inside ? 90 : 60);
      }
    }
    byte[] jpeg = ImageCodec.encodeJpeg(new RgbImage(w, h, rgb), 90);
    List<EncodedImage> batch =
        Collections.nCopies(settings.batchSize(), new EncodedImage(ImageEncoding.JPEG, w, h, jpeg));
    FrameSegmenter segmenter = new FrameSegmenter(model, settings);
    long t0 = System.nanoTime();
    int round = 0;
    for (; round < 3 && (round == 0 || !framesFlow.getAsBoolean()); round++) {
      for (FrameOutcome outcome : segmenter.segment(batch)) {
        if (outcome instanceof FrameOutcome.Failed failed) {
          throw new IllegalStateException("model " + model.metadata().name() + " failed on a warm-up frame at stage "
              + failed.stage() + ": " + failed.error().getMessage(), failed.error());
        }
      }
    }
    warmSmallerBatches(model, settings, framesFlow, w, h);
    warmOtherShapes(model, settings, framesFlow);
    log.info("model {} (input {}) warmed up in {} ms ({} rounds of {} frames)", model.metadata().name(),
        InputGeometry.of(model.metadata()).describe(), (System.nanoTime() - t0) / 1_000_000, round, settings.batchSize());
  }

  /**
   * A live source fills batches of one to a few frames, and TensorFlow pays its first-call cost again for
   * each new batch size (about 20 ms more on its first call here): one call at every smaller
   * size while no real frame flows yet.
   */
  private static void warmSmallerBatches(
      SegmentationModel model, ProcessorSettings settings, BooleanSupplier framesFlow, int frameWidth, int frameHeight) {
    InputGeometry.Size size = InputGeometry.of(model.metadata()).sizeFor(frameWidth, frameHeight);
    RgbImage blank = RgbImage.blank(size.width(), size.height());
    for (int n = 1; n < settings.batchSize() && !framesFlow.getAsBoolean(); n++) {
      model.predict(Collections.nCopies(n, blank));
    }
  }

  /** Frames of these shapes besides 16:9 are warmed up for a model that keeps each frame's aspect ratio. */
  private static final int[][] OTHER_WARM_UP_SHAPES = {{360, 640}, {640, 480}, {480, 640}, {480, 480}};

  /**
   * An aspect-true model meets a new input size with each new aspect ratio, and TensorFlow pays its first-call
   * cost once per size: one model call at each common size while no real frame flows yet.
   */
  private static void warmOtherShapes(SegmentationModel model, ProcessorSettings settings, BooleanSupplier framesFlow) {
    InputGeometry geometry = InputGeometry.of(model.metadata());
    if (!geometry.keepsAspect()) {
      return;
    }
    for (int[] shape : OTHER_WARM_UP_SHAPES) {
      if (framesFlow.getAsBoolean()) {
        return;
      }
      InputGeometry.Size size = geometry.sizeFor(shape[0], shape[1]);
      RgbImage blank = RgbImage.blank(size.width(), size.height());
      model.predict(Collections.nCopies(settings.batchSize(), blank));
    }
  }
}
