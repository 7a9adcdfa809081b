package org.segstream.segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
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
import org.segstream.model.InputGeometry;
import org.segstream.model.ModelMetadata;
import org.segstream.model.SegmentationModel;
import org.segstream.segment.FrameOutcome.Failed;
import org.segstream.segment.FrameOutcome.Segmented;
import org.segstream.segment.FrameOutcome.StageTimings;
import org.segstream.refine.Contour;
import org.segstream.refine.Contours;
import org.segstream.refine.CrfParams;
import org.segstream.refine.DenseCrf;
import org.segstream.temporal.StreamSmoothers;
import org.segstream.temporal.TemporalBlend;

/**
 * Segments a batch of encoded frames: pre-process (decode, resize to the frame's input size by the
 * model's {@link InputGeometry}), one model call per input size in the batch (frames of one shape
 * share a call; an aspect-true model sees 16:9 and 9:16 frames at different sizes), post-process per
 * frame (upsample, refine, labels at frame size, contours, PNG). {@link #submit} runs a batch in
 * three steps so that batches overlap: decoding and post-processing of the frames of a batch run in
 * parallel on {@link #WORKERS} (each worker thread gets its own {@link DenseCrf} buffers), the model
 * calls on the inference executor, one batch at a time. While batch N is refined, the model works on batch N+1. One segmenter per Streams task;
 * {@link #submit} is called from one thread.
 *
 * <p>With a temporal step ({@link SegmenterSettings#temporalSmoothing}), frames submitted with their
 * {@link StreamPosition} have their probabilities blended with their stream's previous frame between the model call
 * and post-processing, at the model's input size. Only frames of one stream depend on each other, but two batches in
 * flight may leave the model in either order (their decoding overlaps), so the step of each batch waits for the
 * step of the batch submitted before it: every stream's frames are blended in submission order, one batch's step
 * at a time (about half a million integer operations per frame at 128×128, the camera's shift search included:
 * small beside the model call and the refinement, which stay parallel). A frame that failed before the step leaves its stream's state as it was (or drops it, if the frame
 * marked a discontinuity).
 */
public final class FrameSegmenter {
  /**
   * Decoding and post-processing, shared by every segmenter of the JVM: one worker per core, so two
   * tasks' batches share the cores instead of multiplying threads. Daemon threads, like the common
   * pool's (whose parallelism is cores − 1, as its callers take part; ours do not).
   */
  static final ForkJoinPool WORKERS = new ForkJoinPool(Runtime.getRuntime().availableProcessors(),
      pool -> {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("segstream-frames-" + t.getPoolIndex());
        t.setDaemon(true);
        return t;
      }, null, false);

  /** The model call: {@link SegmentationModel#predict}, or a test's probe around it. */
  private final Function<List<RgbImage>, List<ProbabilityMap>> predict;
  private final SegmenterSettings settings;
  private final Executor workers;
  private final Executor inference;
  /**
   * One CRF (and its buffers) per thread that refines, kept across segmenters: a fresh one's first
   * frame costs 3–5× (90–190 ms against 35–40 ms at 320×180, its buffers allocated and first touched),
   * which every new task, and so a camera's first frames after start-up, would pay after the warm-up
   * had paid it already. What stays alive is bounded: one CRF per worker thread, sized for the largest
   * frame it refined.
   */
  private static final ThreadLocal<DenseCrf> CRFS = new ThreadLocal<>();
  private final LatencyBudget budget;
  private final InputGeometry geometry;
  private final int backgroundClass;
  private final int classes;
  /** The streams' temporal states, null without a temporal step; used by one batch's step at a time. */
  private final StreamSmoothers smoothers;
  /**
   * Done when the temporal step of the last batch submitted (and every reset requested since) is: the next batch's
   * step waits for it. Never completes exceptionally, so one batch's failure does not stop the next one's step.
   */
  private CompletableFuture<Void> temporalDone = CompletableFuture.completedFuture(null);
  /** Batches submitted whose model call has not ended: at zero a batch submitted now goes to the model at once. */
  private final AtomicInteger beforeTheModel = new AtomicInteger();
  /** Whether batches overlap (else each is done within its submit, on the caller's thread). */
  private final boolean overlaps;

  /**
   * A segmenter that works on the calling thread (with the common pool for the frames of a batch):
   * {@link #submit} returns a completed future, and batches do not overlap.
   */
  public FrameSegmenter(SegmentationModel model, SegmenterSettings settings) {
    this(model, settings, Runnable::run, Runnable::run, model::predict, false);
  }

  /**
   * A segmenter whose batches overlap: frames are decoded and post-processed on {@link #WORKERS}.
   *
   * @param inference where model calls run: a single thread shared by the segmenters of one model
   *     keeps one batch at a time in the session, with all intra-op threads on it
   */
  public FrameSegmenter(SegmentationModel model, SegmenterSettings settings, Executor inference) {
    this(model, settings, WORKERS, inference, model::predict, true);
  }

  /** A segmenter on the calling thread whose model calls go through {@code predict} (a test's probe). */
  static FrameSegmenter probed(SegmentationModel model, SegmenterSettings settings,
      Function<List<RgbImage>, List<ProbabilityMap>> predict) {
    return new FrameSegmenter(model, settings, Runnable::run, Runnable::run, predict, false);
  }

  private FrameSegmenter(SegmentationModel model, SegmenterSettings settings, Executor workers, Executor inference,
      Function<List<RgbImage>, List<ProbabilityMap>> predict, boolean overlaps) {
    this.predict = predict;
    this.overlaps = overlaps;
    this.settings = settings;
    this.workers = workers;
    this.inference = inference;
    this.budget = new LatencyBudget(settings.latencyBudget()); // its own: the estimates are this task's
    ModelMetadata meta = model.metadata();
    this.geometry = InputGeometry.of(meta);
    this.backgroundClass = meta.backgroundClass();
    this.classes = meta.classNames().size();
    this.smoothers = settings.temporalSmoothing().map(StreamSmoothers::new).orElse(null);
  }

  /** The model input size a frame of {@code width × height} is resized to. */
  public InputGeometry.Size inputSizeFor(int width, int height) {
    return geometry.sizeFor(width, height);
  }

  /** This segmenter's latency budget and its cost estimates (off when the settings give none). */
  public LatencyBudget budget() {
    return budget;
  }

  /** One outcome per frame, in order: the frames' images as they arrived. Waits for {@link #submit}. */
  public List<FrameOutcome> segment(List<EncodedImage> frames) {
    return submit(frames).join();
  }

  /**
   * Starts a batch: its outcomes, one per frame in order, once decoded, inferred and post-processed.
   * The future never completes exceptionally: every failure is a frame's {@link Failed} outcome.
   */
  public CompletableFuture<List<FrameOutcome>> submit(List<EncodedImage> frames) {
    long[] never = new long[frames.size()];
    Arrays.fill(never, Long.MAX_VALUE);
    return submit(frames, never);
  }

  /**
   * As {@link #submit(List)}, each frame's result due at the wall time in {@code dueWallMs} (its
   * capture time plus the latency budget): a frame that would miss it is refined at a lower
   * resolution, or not refined ({@link Segmented#leftOut} says which and why).
   */
  public CompletableFuture<List<FrameOutcome>> submit(List<EncodedImage> frames, long[] dueWallMs) {
    return submit(frames, dueWallMs, null);
  }

  /**
   * As {@link #submit(List, long[])}, each frame with its place in its stream (one per frame, in order; null: the
   * frames are independent images): with a temporal step, a frame's probabilities are blended with those of its
   * stream's frame submitted before it.
   */
  public CompletableFuture<List<FrameOutcome>> submit(List<EncodedImage> frames, long[] dueWallMs,
      List<StreamPosition> positions) {
    InFlight batch = new InFlight(frames, dueWallMs, positions);
    beforeTheModel.incrementAndGet();
    long submitted = System.nanoTime();
    CompletableFuture<Void> inferred = CompletableFuture.runAsync(batch::decode, workers)
        .thenRunAsync(batch::infer, inference)
        .whenComplete((done, error) -> {
          beforeTheModel.decrementAndGet();
          if (error == null) {
            budget.recordModelTurnaround(millisSince(submitted));
          }
        });
    CompletableFuture<Void> smoothed = inferred;
    if (smoothers != null && positions != null) {
      CompletableFuture<Void> before = temporalDone;
      smoothed = inferred
          .handle((done, error) -> error) // a failed batch still takes its turn: its discontinuities reset states
          .thenCombineAsync(before, (error, previous) -> {
            batch.smooth(error == null);
            return error;
          }, workers)
          .thenCompose(error -> error == null ? CompletableFuture.<Void>completedFuture(null)
              : CompletableFuture.<Void>failedFuture(error));
      temporalDone = smoothed.handle((done, error) -> null);
    }
    return smoothed
        .thenRunAsync(batch::postProcess, workers)
        .handle((done, error) -> batch.outcomes(error));
  }

  /**
   * Whether batches overlap and every batch submitted has been through the model: then a batch submitted now does
   * not wait for one, and its frames would gain nothing by waiting for more to batch with. Never for a segmenter
   * on the caller's thread, whose model is always free but whose every batch holds up the caller.
   */
  public boolean modelFree() {
    return overlaps && beforeTheModel.get() == 0;
  }

  /**
   * The stream ended (or broke off at a frame not submitted): its temporal state goes, once the frames submitted
   * before this call are blended. Called from the thread that submits.
   */
  public void forgetStream(String streamId) {
    if (smoothers != null) {
      temporalDone = temporalDone.thenRun(() -> smoothers.forget(streamId));
    }
  }

  /** One batch's arrays, filled step by step (each step happens-after the one before). */
  private final class InFlight {
    private final List<EncodedImage> frames;
    private final long[] dueWallMs;
    /** Each frame's place in its stream, or null: independent images. */
    private final List<StreamPosition> positions;
    private final TemporalBlend[] blends;
    private final FrameOutcome[] outcomes;
    private final RgbImage[] decoded;
    /** The frames' sizes: a large JPEG is decoded at a fraction of it, the labels are at it. */
    private final int[] widths;
    private final int[] heights;
    private final float[] decodeMs;
    private final RgbImage[] resized;
    /** Per frame, filled by {@link #infer} for the frames the model answered (null for the others). */
    private final ProbabilityMap[] probabilities;
    /** Per frame: the session call it shared, how many frames shared it and how long it took. */
    private final int[] callSize;
    private final float[] callMs;
    /** The step running, for a failure that escapes it. */
    private volatile FailureStage step = FailureStage.DECODE;

    InFlight(List<EncodedImage> frames, long[] dueWallMs, List<StreamPosition> positions) {
      if (dueWallMs.length != frames.size()) {
        throw new IllegalArgumentException(frames.size() + " frames with " + dueWallMs.length + " due times");
      }
      if (positions != null && positions.size() != frames.size()) {
        throw new IllegalArgumentException(frames.size() + " frames with " + positions.size() + " stream positions");
      }
      this.frames = List.copyOf(frames);
      this.dueWallMs = dueWallMs.clone();
      this.positions = positions == null ? null : List.copyOf(positions);
      this.blends = new TemporalBlend[frames.size()];
      int n = frames.size();
      this.outcomes = new FrameOutcome[n];
      this.decoded = new RgbImage[n];
      this.widths = new int[n];
      this.heights = new int[n];
      this.decodeMs = new float[n];
      this.resized = new RgbImage[n];
      this.probabilities = new ProbabilityMap[n];
      this.callSize = new int[n];
      this.callMs = new float[n];
    }

    void decode() {
      IntStream.range(0, frames.size())
          .parallel()
          .forEach(
              i -> {
                long t0 = System.nanoTime();
                try {
                  Decoded d = FrameSegmenter.this.decode(frames.get(i));
                  decoded[i] = d.image();
                  widths[i] = d.width();
                  heights[i] = d.height();
                  InputGeometry.Size input = geometry.sizeFor(d.width(), d.height());
                  resized[i] = ImageCodec.resizeBilinear(decoded[i], input.width(), input.height());
                } catch (RuntimeException e) {
                  outcomes[i] = new Failed(FailureStage.DECODE, e);
                }
                decodeMs[i] = millisSince(t0);
              });
    }

    /**
     * One session call per input size, in order of first appearance: a model call takes one size, and
     * frames of several streams in one batch may have several shapes. Batching by shape rather than
     * padding to a common size: padding a 224×128 and a 128×224 frame to 224×224 costs 75% more
     * pixels each and changes what the model sees near the padded edge.
     */
    void infer() {
      step = FailureStage.INFERENCE;
      Map<InputGeometry.Size, List<Integer>> byShape = new LinkedHashMap<>();
      for (int i = 0; i < frames.size(); i++) {
        if (resized[i] != null) {
          byShape.computeIfAbsent(new InputGeometry.Size(resized[i].width(), resized[i].height()), s -> new ArrayList<>())
              .add(i);
        }
      }
      if (byShape.isEmpty()) {
        return;
      }
      long batchStart = System.nanoTime();
      for (List<Integer> group : byShape.values()) {
        List<RgbImage> images = new ArrayList<>(group.size());
        for (int i : group) {
          images.add(resized[i]);
        }
        long t0 = System.nanoTime();
        try {
          List<ProbabilityMap> maps = predict.apply(images);
          if (maps.size() != group.size()) {
            throw new IllegalStateException("the model answered " + maps.size() + " of " + group.size() + " frames");
          }
          float ms = millisSince(t0);
          for (int g = 0; g < group.size(); g++) {
            int i = group.get(g);
            probabilities[i] = maps.get(g);
            callSize[i] = group.size();
            callMs[i] = ms;
          }
        } catch (RuntimeException e) {
          for (int i : group) {
            outcomes[i] = new Failed(FailureStage.INFERENCE, e);
          }
        }
      }
      budget.recordInference(millisSince(batchStart)); // the budget plans with the whole batch's model time
    }

    /**
     * The temporal step: each frame's probabilities blended with its stream's state, frame by frame in order (frames
     * of a stream are in sequence order within a batch as across batches). A frame without probabilities (it failed
     * to decode, or the model call failed: {@code modelRan} false) leaves its stream's state alone, unless it marks a
     * discontinuity; a frame whose blending fails drops its stream's state rather than keep a half-written one.
     */
    void smooth(boolean modelRan) {
      if (modelRan) {
        step = FailureStage.REFINE;
      }
      for (int i = 0; i < frames.size(); i++) {
        StreamPosition at = positions.get(i);
        if (!modelRan || probabilities[i] == null || outcomes[i] != null) {
          if (at.discontinuity()) {
            smoothers.forget(at.streamId()); // the gap it marks still parts the frames before and after it
          }
          continue;
        }
        try {
          StreamSmoothers.Smoothed s =
              smoothers.smooth(at.streamId(), at.sequence(), at.discontinuity(), resized[i], probabilities[i]);
          probabilities[i] = s.probabilities();
          blends[i] = s.blend();
        } catch (RuntimeException e) {
          smoothers.forget(at.streamId());
          outcomes[i] = new Failed(FailureStage.REFINE, e);
        }
        resized[i] = null; // the stream's state holds it now, if anything does
      }
    }

    void postProcess() {
      step = FailureStage.REFINE;
      IntStream.range(0, frames.size())
          .parallel()
          .filter(i -> probabilities[i] != null)
          .forEach(
              i -> {
                if (outcomes[i] == null) { // not failed in the temporal step
                  outcomes[i] = FrameSegmenter.this.postProcess(decoded[i], widths[i], heights[i], probabilities[i],
                      decodeMs[i], callMs[i], callSize[i], dueWallMs[i], blends[i]);
                }
                decoded[i] = null; // the frame's pixels are not needed any more
                probabilities[i] = null;
              });
    }

    /** The outcomes; a step that threw (a bug, not a bad frame) fails the frames it left without one. */
    List<FrameOutcome> outcomes(Throwable error) {
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (!(cause instanceof Exception exception)) {
          throw new CompletionException(cause); // an Error (out of memory...) is not a bad frame
        }
        for (int i = 0; i < outcomes.length; i++) {
          if (outcomes[i] == null) {
            outcomes[i] = new Failed(step, exception);
          }
        }
      }
      return Arrays.asList(outcomes);
    }
  }

  /** This thread's CRF, made anew when the settings differ from its last one's. */
  private static DenseCrf crfFor(CrfParams params) {
    DenseCrf crf = CRFS.get();
    if (crf == null || !crf.params().equals(params)) {
      crf = new DenseCrf(params);
      CRFS.set(crf);
    }
    return crf;
  }

  /**
   * Labels at the frame's size ({@code width}×{@code height}) from the model's probabilities,
   * refined on {@code frame} (the decoded pixels, perhaps at a fraction of that size) if the budget
   * allows.
   */
  private FrameOutcome postProcess(RgbImage frame, int width, int height, ProbabilityMap probabilities, float decodeMs,
      float inferenceMs, int batchSize, long dueWallMs, TemporalBlend temporal) {
    long t0 = System.nanoTime();
    LabelMap labels;
    boolean refined = false;
    LeftOut leftOut = null;
    try {
      if (settings.refinement() instanceof Refinement.Crf c) {
        int[] full = Resampling.capLongSide(width, height, c.maxSize());
        LatencyBudget.RefinePlan plan =
            budget.planRefine(dueWallMs, System.currentTimeMillis(), (long) full[0] * full[1], c.maxSize());
        if (plan instanceof LatencyBudget.Unrefined u) {
          leftOut = u.leftOut();
          labels = Resampling.bilinearArgmax(probabilities, width, height);
        } else {
          int[] size = full;
          if (plan instanceof LatencyBudget.Reduced r) {
            leftOut = r.leftOut();
            size = Resampling.capLongSide(width, height, r.maxSize());
          }
          RgbImage small = ImageCodec.resizeBilinear(frame, size[0], size[1]);
          ProbabilityMap up = Resampling.bilinear(probabilities, size[0], size[1]);
          DenseCrf crf = crfFor(c.params());
          labels = Resampling.nearest(crf.refine(small, up), width, height);
          refined = true;
          budget.recordRefine(millisSince(t0), (long) size[0] * size[1]);
        }
      } else {
        labels = Resampling.bilinearArgmax(probabilities, width, height);
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
      float encodeMs = millisSince(t1);
      budget.recordFinish(encodeMs);
      return new Segmented(
          labels, fractions, contours, png, refined, batchSize,
          new StageTimings(decodeMs, inferenceMs, refineMs, encodeMs), leftOut, temporal);
    } catch (RuntimeException e) {
      return new Failed(FailureStage.ENCODE, e);
    }
  }

  /** A decoded frame: its pixels (of a JPEG perhaps at a fraction of its size) and its size. */
  private record Decoded(RgbImage image, int width, int height) {}

  /**
   * Decodes a frame after checking its size against the pixel cap: RAW_BGR by its declared size (in
   * {@code long}, so 65536×65536 cannot wrap), anything else by the header of its bytes, whatever the
   * declared encoding. The Kafka edge checks the rest. A JPEG much larger than both the model's input
   * and the refine size is decoded at 1/2, 1/4 or 1/8 of its size, still covering both.
   */
  private Decoded decode(EncodedImage frame) {
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
      return new Decoded(new RgbImage(frame.width(), frame.height(), rgb), frame.width(), frame.height());
    }
    ImageHeader header = ImageHeader.read(frame.data());
    requireWithinCap(header.format().name(), header.width(), header.height(), header.pixels());
    int reduction = header.format() == ImageHeader.Format.JPEG ? decodeReduction(header.width(), header.height()) : 1;
    RgbImage image = ImageCodec.decode(frame.data(), reduction);
    return new Decoded(image, header.width(), header.height());
  }

  /** The largest of 8, 4, 2 (else 1) at which a frame of this size still covers its input size and the refine size. */
  public int decodeReduction(int width, int height) {
    InputGeometry.Size input = geometry.sizeFor(width, height);
    int needWidth = input.width();
    int needHeight = input.height();
    if (settings.refinement() instanceof Refinement.Crf c) {
      int[] refine = Resampling.capLongSide(width, height, c.maxSize());
      needWidth = Math.max(needWidth, refine[0]);
      needHeight = Math.max(needHeight, refine[1]);
    }
    for (int f = 8; f >= 2; f /= 2) {
      if (width / f >= needWidth && height / f >= needHeight) {
        return f;
      }
    }
    return 1;
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
