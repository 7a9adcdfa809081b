package org.segstream.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.segstream.image.EncodedImage;
import org.segstream.image.ImageCodec;
import org.segstream.image.ImageEncoding;
import org.segstream.model.SegmentationModel;
import org.segstream.synth.SyntheticClip;
import org.segstream.temporal.TemporalBlend;
import org.segstream.temporal.TemporalSettings;
import org.segstream.testing.TestModels;

/**
 * The temporal step through the real segmenter and a real (tiny) SavedModel: two streams interleaved in batches,
 * two batches in flight whose model calls are made to finish in the reverse order, and still every stream's frames
 * are blended in sequence order, with the same labels as one batch after the other.
 */
class FrameSegmenterTemporalTest {
  private static final int FRAMES = 12;
  private static final int PER_BATCH = 2; // frames of each stream per batch
  private static final int BROKEN = 5; // stream a's frame that does not decode
  private static final int GAP = 8; // stream b's frame after a discontinuity
  private static final int FORGOTTEN_BEFORE = 8; // stream a is forgotten (its end) before this frame
  private static SegmentationModel model;

  @BeforeAll
  static void loadModel() {
    model = SegmentationModel.load(TestModels.tiny());
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  private record Settings(Optional<TemporalSettings> temporalSmoothing) implements SegmenterSettings {
    @Override
    public Refinement refinement() {
      return Refinement.off();
    }

    @Override
    public double contourEpsilon() {
      return 1;
    }

    @Override
    public double contourMinArea() {
      return 4;
    }

    @Override
    public long maxFramePixels() {
      return 1_000_000;
    }
  }

  private static final Settings TEMPORAL_ON = new Settings(Optional.of(TemporalSettings.defaults(10)));

  /** One batch: frames 2k and 2k+1 of streams a and b, interleaved. */
  private record Batch(List<EncodedImage> images, List<StreamPosition> positions) {}

  private static List<Batch> batches() {
    SyntheticClip a = new SyntheticClip(11, 160, 120, 2);
    SyntheticClip b = new SyntheticClip(12, 160, 120, 2);
    List<Batch> out = new ArrayList<>();
    for (int first = 0; first < FRAMES; first += PER_BATCH) {
      List<EncodedImage> images = new ArrayList<>();
      List<StreamPosition> positions = new ArrayList<>();
      for (int f = first; f < first + PER_BATCH; f++) {
        byte[] aBytes = f == BROKEN ? new byte[] {1, 2, 3} : ImageCodec.encodePng(a.frame(f).image());
        images.add(new EncodedImage(ImageEncoding.PNG, 160, 120, aBytes));
        positions.add(new StreamPosition("a", f, false));
        images.add(new EncodedImage(ImageEncoding.PNG, 160, 120, ImageCodec.encodePng(b.frame(f).image())));
        positions.add(new StreamPosition("b", f, f == GAP));
      }
      out.add(new Batch(images, positions));
    }
    return out;
  }

  /**
   * Model calls two at a time, the later one first: the second batch of a pair leaves the model before the first.
   * Records the arrival index of each call in the order they ran.
   */
  private static final class PairReversing implements Executor, AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final List<Runnable> held = new ArrayList<>();
    private final List<Integer> ranInOrder = new ArrayList<>();
    private int arrived;

    @Override
    public synchronized void execute(Runnable call) {
      int index = arrived++;
      held.add(() -> {
        synchronized (this) {
          ranInOrder.add(index);
        }
        call.run();
      });
      if (held.size() == 2) {
        thread.execute(held.get(1));
        thread.execute(held.get(0));
        held.clear();
      }
    }

    synchronized int arrived() {
      return arrived;
    }

    synchronized List<Integer> ranInOrder() {
      return List.copyOf(ranInOrder);
    }

    @Override
    public void close() throws InterruptedException {
      thread.shutdown();
      assertTrue(thread.awaitTermination(30, TimeUnit.SECONDS), "the model thread did not stop");
    }
  }

  /** One batch after the other, everything on the calling thread. */
  private static List<FrameOutcome> inSequence(FrameSegmenter segmenter, List<Batch> batches) {
    List<FrameOutcome> all = new ArrayList<>();
    for (int k = 0; k < batches.size(); k++) {
      if (k * PER_BATCH == FORGOTTEN_BEFORE) {
        segmenter.forgetStream("a");
      }
      Batch batch = batches.get(k);
      all.addAll(segmenter.submit(batch.images(), noDeadline(batch), batch.positions()).join());
    }
    return all;
  }

  private static long[] noDeadline(Batch batch) {
    long[] due = new long[batch.images().size()];
    Arrays.fill(due, Long.MAX_VALUE);
    return due;
  }

  @Test
  void everyStreamIsBlendedInSequenceOrderWhenTheModelCallsOfBatchesInFlightFinishOutOfOrder() throws Exception {
    List<Batch> batches = batches();
    List<FrameOutcome> reference = inSequence(new FrameSegmenter(model, TEMPORAL_ON), batches);

    List<FrameOutcome> overlapped = new ArrayList<>();
    try (PairReversing inference = new PairReversing()) {
      FrameSegmenter segmenter = new FrameSegmenter(model, TEMPORAL_ON, inference);
      for (int k = 0; k < batches.size(); k += 2) {
        Batch first = batches.get(k);
        Batch second = batches.get(k + 1);
        CompletableFuture<List<FrameOutcome>> one = segmenter.submit(first.images(), noDeadline(first), first.positions());
        awaitArrivals(inference, k + 1); // the first batch's model call is held before the second batch is decoded
        CompletableFuture<List<FrameOutcome>> two = segmenter.submit(second.images(), noDeadline(second), second.positions());
        if ((k + 2) * PER_BATCH == FORGOTTEN_BEFORE) {
          segmenter.forgetStream("a"); // while both are in flight: it must wait for them
        }
        overlapped.addAll(one.get(60, TimeUnit.SECONDS));
        overlapped.addAll(two.get(60, TimeUnit.SECONDS));
      }
      assertEquals(List.of(1, 0, 3, 2, 5, 4), inference.ranInOrder(), "each pair's second model call ran first");
    }

    assertEquals(reference.size(), overlapped.size());
    for (int n = 0; n < overlapped.size(); n++) {
      String stream = n % 2 == 0 ? "a" : "b";
      int frame = (n / (2 * PER_BATCH)) * PER_BATCH + (n % (2 * PER_BATCH)) / 2;
      String what = stream + "#" + frame;
      if (stream.equals("a") && frame == BROKEN) {
        assertEquals(FailureStage.DECODE, assertInstanceOf(FrameOutcome.Failed.class, overlapped.get(n)).stage(), what);
        continue;
      }
      FrameOutcome.Segmented s = assertInstanceOf(FrameOutcome.Segmented.class, overlapped.get(n), what);
      FrameOutcome.Segmented r = assertInstanceOf(FrameOutcome.Segmented.class, reference.get(n), what);
      TemporalBlend blend = s.temporal();
      assertFalse(blend.sceneCut(), what);
      long expectedPrevious;
      if (frame == 0 || (stream.equals("b") && frame == GAP) || (stream.equals("a") && frame == FORGOTTEN_BEFORE)) {
        expectedPrevious = -1; // first frame, discontinuity, after the stream was forgotten
      } else if (stream.equals("a") && frame == BROKEN + 1) {
        expectedPrevious = BROKEN - 1; // the broken frame left the state as it was
      } else {
        expectedPrevious = frame - 1;
      }
      assertEquals(expectedPrevious, blend.previousSequence(), what + " blended with the frame before it in its stream");
      assertEquals(r.temporal(), blend, what);
      if (blend.blended()) {
        assertTrue(blend.blendedShare() > 0.3, what + ": the background stands still, yet only "
            + blend.blendedShare() + " of the pixels were blended");
      }
      assertArrayEquals(r.labels().labels(), s.labels().labels(), what + ": the labels of one batch after the other");
    }
  }

  @Test
  void withoutTheTemporalStepNothingIsBlendedEvenWithPositions() {
    List<Batch> batches = batches();
    for (FrameOutcome o : inSequence(new FrameSegmenter(model, new Settings(Optional.empty())), batches)) {
      if (o instanceof FrameOutcome.Segmented s) {
        assertNull(s.temporal());
      }
    }
    Batch first = batches.get(0);
    FrameOutcome alone = new FrameSegmenter(model, TEMPORAL_ON).segment(first.images()).get(0);
    assertNull(assertInstanceOf(FrameOutcome.Segmented.class, alone).temporal(), "images without positions are independent");
  }

  private static void awaitArrivals(PairReversing inference, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (inference.arrived() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the model call of batch " + count + " did not arrive within 60 s");
      }
      Thread.onSpinWait();
      Thread.sleep(1);
    }
  }
}
