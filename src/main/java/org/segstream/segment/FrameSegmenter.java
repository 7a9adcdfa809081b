package org.segstream.segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.segstream.image.EncodedImage;
import org.segstream.image.ImageCodec;
import org.segstream.image.ImageDecodeException;
import org.segstream.image.ImageEncoding;
import org.segstream.image.ImageHeader;
import org.segstream.image.LabelMap;
import org.segstream.image.ProbabilityMap;
import org.segstream.image.Resampling;
import org.segstream.image.RgbImage;
import org.segstream.model.ModelMetadata;
import org.segstream.model.SegmentationModel;
import org.segstream.segment.FrameOutcome.Failed;
import org.segstream.segment.FrameOutcome.Segmented;
import org.segstream.segment.FrameOutcome.StageTimings;
import org.segstream.refine.Contour;
import org.segstream.refine.Contours;
import org.segstream.refine.DenseCrf;

/**
 * Segments a batch of encoded frames: pre-process (decode, resize to the model's input), one model
 * call for the batch, post-process per frame (upsample, refine, labels at frame size, contours,
 * PNG). Decoding and post-processing of the frames of a batch run in parallel on the common
 * fork-join pool (each worker thread gets its own {@link DenseCrf} buffers); the model call is one
 * per batch. One segmenter per Streams task; {@link #segment} is not meant for concurrent calls.
 */
public final class FrameSegmenter {
  private final SegmentationModel model;
  private final SegmenterSettings settings;
  private final ThreadLocal<DenseCrf> crf;
  private final int inputWidth;
  private final int inputHeight;
  private final int backgroundClass;
  private final int classes;

  public FrameSegmenter(SegmentationModel model, SegmenterSettings settings) {
    this.model = model;
    this.settings = settings;
    ModelMetadata meta = model.metadata();
    this.inputWidth = meta.inputWidth();
    this.inputHeight = meta.inputHeight();
    this.backgroundClass = meta.backgroundClass();
    this.classes = meta.classNames().size();
    this.crf =
        settings.refinement() instanceof Refinement.Crf c ? ThreadLocal.withInitial(() -> new DenseCrf(c.params())) : null;
  }

  /** One outcome per frame, in order: the frames' images as they arrived. */
  public List<FrameOutcome> segment(List<EncodedImage> frames) {
    FrameOutcome[] outcomes = new FrameOutcome[frames.size()];
    RgbImage[] decoded = new RgbImage[frames.size()];
    float[] decodeMs = new float[frames.size()];
    RgbImage[] resized = new RgbImage[frames.size()];
    IntStream.range(0, frames.size())
        .parallel()
        .forEach(
            i -> {
              long t0 = System.nanoTime();
              try {
                decoded[i] = decode(frames.get(i));
                resized[i] = ImageCodec.resizeBilinear(decoded[i], inputWidth, inputHeight);
              } catch (RuntimeException e) {
                outcomes[i] = new Failed(FailureStage.DECODE, e);
              }
              decodeMs[i] = millisSince(t0);
            });
    List<RgbImage> batch = new ArrayList<>();
    List<Integer> batchIndex = new ArrayList<>();
    for (int i = 0; i < frames.size(); i++) {
      if (resized[i] != null) {
        batch.add(resized[i]);
        batchIndex.add(i);
      }
    }
    if (batch.isEmpty()) {
      return Arrays.asList(outcomes);
    }
    long t0 = System.nanoTime();
    List<ProbabilityMap> probabilities;
    try {
      probabilities = model.predict(batch);
    } catch (RuntimeException e) {
      for (int i : batchIndex) {
        outcomes[i] = new Failed(FailureStage.INFERENCE, e);
      }
      return Arrays.asList(outcomes);
    }
    float inferenceMs = millisSince(t0);
    int batchSize = batch.size();
    IntStream.range(0, batchIndex.size())
        .parallel()
        .forEach(
            b -> {
              int i = batchIndex.get(b);
              outcomes[i] = postProcess(decoded[i], probabilities.get(b), decodeMs[i], inferenceMs, batchSize);
            });
    return Arrays.asList(outcomes);
  }

  private FrameOutcome postProcess(RgbImage frame, ProbabilityMap probabilities, float decodeMs, float inferenceMs, int batchSize) {
    long t0 = System.nanoTime();
    LabelMap labels;
    boolean refined = false;
    try {
      if (settings.refinement() instanceof Refinement.Crf c) {
        int[] size = Resampling.capLongSide(frame.width(), frame.height(), c.maxSize());
        RgbImage small = ImageCodec.resizeBilinear(frame, size[0], size[1]);
        ProbabilityMap up = Resampling.bilinear(probabilities, size[0], size[1]);
        labels = Resampling.nearest(crf.get().refine(small, up), frame.width(), frame.height());
        refined = true;
      } else {
        labels = Resampling.bilinearArgmax(probabilities, frame.width(), frame.height());
      }
    } catch (RuntimeException e) {
      return new Failed(FailureStage.REFINE, e);
    }
    float refineMs = millisSince(t0);
    long t1 = System.nanoTime();
    try {
      List<Contour> contours =
          Contours.extract(labels, backgroundClass, settings.contourEpsilon(), settings.contourMinArea());
      byte[] png = ImageCodec.encodePngGray(labels);
      float[] fractions = Resampling.classFractions(labels, classes);
      return new Segmented(
          labels, fractions, contours, png, refined, batchSize,
          new StageTimings(decodeMs, inferenceMs, refineMs, millisSince(t1)));
    } catch (RuntimeException e) {
      return new Failed(FailureStage.ENCODE, e);
    }
  }

  /**
   * Decodes a frame after checking its size against the pixel cap: RAW_BGR by its declared size (in
   * {@code long}, so 65536×65536 cannot wrap), anything else by the header of its bytes, whatever the
   * declared encoding. The Kafka edge checks the rest.
   */
  private RgbImage decode(EncodedImage frame) {
    if (frame.encoding() == ImageEncoding.RAW_BGR) {
      long pixels = (long) frame.width() * frame.height();
      if (frame.width() < 1 || frame.height() < 1) {
        throw new ImageDecodeException("RAW_BGR frame of " + frame.width() + "x" + frame.height() + " pixels");
      }
      requireWithinCap("RAW_BGR", frame.width(), frame.height(), pixels);
      byte[] bgr = frame.data();
      if (bgr.length != 3 * pixels) {
        throw new ImageDecodeException(
            "RAW_BGR frame holds " + bgr.length + " bytes, " + frame.width() + "x" + frame.height() + " needs " + 3 * pixels);
      }
      byte[] rgb = new byte[bgr.length];
      for (int p = 0; p < bgr.length; p += 3) {
        rgb[p] = bgr[p + 2];
        rgb[p + 1] = bgr[p + 1];
        rgb[p + 2] = bgr[p];
      }
      return new RgbImage(frame.width(), frame.height(), rgb);
    }
    ImageHeader header = ImageHeader.read(frame.data());
    requireWithinCap(header.format().name(), header.width(), header.height(), header.pixels());
    return ImageCodec.decode(frame.data());
  }

  private void requireWithinCap(String format, int width, int height, long pixels) {
    if (pixels > settings.maxFramePixels()) {
      throw new ImageDecodeException(
          format + " frame of " + width + "x" + height + " = " + pixels + " pixels is over the cap of "
              + settings.maxFramePixels() + " pixels (the max-frame-pixels setting)");
    }
  }

  private static float millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6f;
  }
}
