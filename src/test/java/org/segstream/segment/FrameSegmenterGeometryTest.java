package org.segstream.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.image.EncodedImage;
import org.segstream.image.ImageCodec;
import org.segstream.image.ImageEncoding;
import org.segstream.image.LabelMap;
import org.segstream.image.ProbabilityMap;
import org.segstream.image.RgbImage;
import org.segstream.model.InputGeometry;
import org.segstream.model.SegmentationModel;
import org.segstream.synth.SyntheticScenes;
import org.segstream.testing.TestModels;

/**
 * The size a frame reaches the model at, on the real tiny SavedModel: stretched to its fixed input as
 * before, or aspect-true from a copy whose metadata carries {@code aspectTrueInput}; a batch that mixes
 * shapes makes one model call per shape and keeps every frame's result in its place.
 */
class FrameSegmenterGeometryTest {
  @TempDir static Path tmp;
  private static SegmentationModel stretched;
  private static SegmentationModel aspectTrue;
  private static final SyntheticScenes scenes = new SyntheticScenes(16);

  private record Settings(Refinement refinement) implements SegmenterSettings {
    @Override
    public double contourEpsilon() {
      return 1.0;
    }

    @Override
    public double contourMinArea() {
      return 4;
    }

    @Override
    public long maxFramePixels() {
      return 4096L * 4096;
    }
  }

  private static final Settings UNREFINED = new Settings(Refinement.off());

  /** What each model call saw: its images' size and count, in call order. */
  private record Call(InputGeometry.Size size, int images) {}

  private static final class Probe implements Function<List<RgbImage>, List<ProbabilityMap>> {
    final SegmentationModel model;
    final List<Call> calls = new ArrayList<>();

    Probe(SegmentationModel model) {
      this.model = model;
    }

    @Override
    public List<ProbabilityMap> apply(List<RgbImage> images) {
      calls.add(new Call(new InputGeometry.Size(images.get(0).width(), images.get(0).height()), images.size()));
      return model.predict(images);
    }
  }

  @BeforeAll
  static void loadModels() throws Exception {
    Path tiny = TestModels.tiny();
    stretched = SegmentationModel.load(tiny);
    aspectTrue = SegmentationModel.load(TestModels.withAspectTrueInput(tiny, tmp.resolve("aspect-true"), 224, 32));
  }

  @AfterAll
  static void closeModels() {
    stretched.close();
    aspectTrue.close();
  }

  private static EncodedImage jpeg(int width, int height) {
    return new EncodedImage(ImageEncoding.JPEG, width, height, ImageCodec.encodeJpeg(scenes.next(width, height).image(), 92));
  }

  private static LabelMap labels(FrameOutcome outcome) {
    assertTrue(outcome instanceof FrameOutcome.Segmented, () -> "not segmented: " + outcome);
    return ((FrameOutcome.Segmented) outcome).labels();
  }

  @Test
  void aWideFrameIsFedAt224x128AndLabelledAtItsOwnSize() {
    Probe probe = new Probe(aspectTrue);
    FrameSegmenter segmenter = FrameSegmenter.probed(aspectTrue, UNREFINED, probe);
    LabelMap labels = labels(segmenter.segment(List.of(jpeg(640, 360))).get(0));
    assertEquals(List.of(new Call(new InputGeometry.Size(224, 128), 1)), probe.calls);
    assertEquals(new InputGeometry.Size(224, 128), segmenter.inputSizeFor(640, 360));
    assertEquals(640, labels.width());
    assertEquals(360, labels.height());
    // a JPEG is decoded at the largest fraction that still covers the frame's own input size
    assertEquals(2, segmenter.decodeReduction(640, 360), "320x180 covers 224x128");
    assertEquals(4, segmenter.decodeReduction(1280, 720), "320x180 covers 224x128, 160x90 does not");
    assertEquals(2, segmenter.decodeReduction(360, 640), "180x320 covers 128x224");
  }

  @Test
  void aModelWithoutTheFieldStretchesEveryShapeToItsFixedInputInOneCall() {
    Probe probe = new Probe(stretched);
    FrameSegmenter segmenter = FrameSegmenter.probed(stretched, UNREFINED, probe);
    InputGeometry.Size fixed = new InputGeometry.Size(stretched.metadata().inputWidth(), stretched.metadata().inputHeight());
    List<FrameOutcome> outcomes = segmenter.segment(List.of(jpeg(640, 360), jpeg(360, 640), jpeg(500, 375)));
    assertEquals(List.of(new Call(fixed, 3)), probe.calls);
    assertEquals(360, labels(outcomes.get(1)).width());
    assertTrue(outcomes.stream().allMatch(o -> ((FrameOutcome.Segmented) o).batchSize() == 3));
  }

  /**
   * Frames of two streams, 16:9 and 9:16, interleaved in one batch: one call per shape, and each
   * frame's labels are the ones it gets when segmented alone (so none is swapped with another).
   */
  @Test
  void aBatchMixingShapesGivesEachFrameItsOwnResultInOrder() {
    List<EncodedImage> frames = List.of(jpeg(640, 360), jpeg(360, 640), jpeg(640, 360), jpeg(360, 640), jpeg(640, 360));
    Probe probe = new Probe(aspectTrue);
    FrameSegmenter segmenter = FrameSegmenter.probed(aspectTrue, UNREFINED, probe);
    List<FrameOutcome> mixed = segmenter.segment(frames);
    assertEquals(List.of(new Call(new InputGeometry.Size(224, 128), 3), new Call(new InputGeometry.Size(128, 224), 2)),
        probe.calls);
    FrameSegmenter alone = new FrameSegmenter(aspectTrue, UNREFINED);
    List<LabelMap> distinct = new ArrayList<>();
    for (int i = 0; i < frames.size(); i++) {
      LabelMap got = labels(mixed.get(i));
      LabelMap expected = labels(alone.segment(List.of(frames.get(i))).get(0));
      assertEquals(frames.get(i).width(), got.width(), "frame " + i);
      assertEquals(frames.get(i).height(), got.height(), "frame " + i);
      // the same input in a batch of another size: TensorFlow may round differently, an argmax may flip
      double differing = differingShare(got, expected);
      assertTrue(differing < 0.001, "frame " + i + ": " + differing + " of its labels differ from the frame alone");
      assertEquals(i % 2 == 0 ? 3 : 2, ((FrameOutcome.Segmented) mixed.get(i)).batchSize(), "frame " + i);
      distinct.add(got);
    }
    // the scenes differ, so a swap between frames of one shape would show
    assertTrue(differingShare(distinct.get(0), distinct.get(2)) > 0.01, "frames 0 and 2 label alike");
    assertTrue(differingShare(distinct.get(1), distinct.get(3)) > 0.01, "frames 1 and 3 label alike");
  }

  private static double differingShare(LabelMap a, LabelMap b) {
    assertEquals(a.width(), b.width());
    assertEquals(a.height(), b.height());
    int differ = 0;
    for (int p = 0; p < a.labels().length; p++) {
      if (a.labels()[p] != b.labels()[p]) {
        differ++;
      }
    }
    return (double) differ / a.labels().length;
  }
}
