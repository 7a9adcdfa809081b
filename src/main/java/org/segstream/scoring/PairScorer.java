package org.segstream.scoring;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.segstream.dataset.GroundTruthFormat;
import org.segstream.dataset.Pair;
import org.segstream.image.EncodedImage;
import org.segstream.image.ImageCodec;
import org.segstream.image.ImageDecodeException;
import org.segstream.image.LabelMap;
import org.segstream.metrics.LatencySummary;
import org.segstream.metrics.ScoreAccumulator;
import org.segstream.metrics.Scores;
import org.segstream.model.ModelMetadata;
import org.segstream.model.SegmentationModel;
import org.segstream.segment.FailureStage;
import org.segstream.segment.FrameOutcome;
import org.segstream.segment.FrameSegmenter;
import org.segstream.segment.SegmenterSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores a model on image/mask pairs straight through {@link FrameSegmenter} (decode, resize, model, upsample,
 * refine), without Kafka, at the ground truth's resolution: the one definition of a model's scores, for
 * {@code eval} and for the figures the trainer writes into a model's metadata. Images are decoded by content with alpha dropped;
 * a pair whose image or mask cannot be read is skipped with its reason, never fatal.
 */
public final class PairScorer {
  private static final Logger log = LoggerFactory.getLogger(PairScorer.class);

  /** A pair left out, and why. */
  public record Skipped(String name, String reason) {}

  /**
   * One pass over the set.
   *
   * @param meanStageMs per image: decode, inference (the batch's call divided by its size), refine, encode
   * @param imagesPerSecond scored images over the wall time of the pass
   * @param kept the predictions (model classes) of the pair indices asked for, for contact sheets
   */
  public record Result(
      Scores scores,
      List<Skipped> skipped,
      Map<String, Double> meanStageMs,
      LatencySummary perImageMs,
      double imagesPerSecond,
      double wallSeconds,
      Map<Integer, LabelMap> kept) {}

  private PairScorer() {}

  /**
   * @param batch frames per model call
   * @param keep indices into {@code pairs} whose predictions to return
   * @param progress called with the number of pairs done after each batch
   */
  public static Result evaluate(
      SegmentationModel model,
      SegmenterSettings settings,
      int batch,
      List<Pair> pairs,
      GroundTruthFormat format,
      int boundaryTolerancePx,
      Set<Integer> keep,
      IntConsumer progress) {
    ModelMetadata meta = model.metadata();
    int classes = meta.classNames().size();
    ScoreAccumulator scores =
        new ScoreAccumulator(format.scoredClasses(meta.classNames()), format.scoredBackground(meta.backgroundClass()), boundaryTolerancePx);
    FrameSegmenter segmenter = new FrameSegmenter(model, settings);
    List<Skipped> skipped = new ArrayList<>();
    Map<Integer, LabelMap> kept = new HashMap<>();
    StageTotals stages = new StageTotals();
    long started = System.nanoTime();
    for (int from = 0; from < pairs.size(); from += batch) {
      List<Integer> indices = new ArrayList<>();
      List<EncodedImage> frames = readImages(pairs, from, Math.min(pairs.size(), from + batch), indices, skipped);
      List<FrameOutcome> outcomes = frames.isEmpty() ? List.of() : segmenter.segment(frames);
      for (int b = 0; b < outcomes.size(); b++) {
        int i = indices.get(b);
        Pair pair = pairs.get(i);
        FrameOutcome outcome = outcomes.get(b);
        if (outcome instanceof FrameOutcome.Failed f) {
          skip(skipped, pair, f.stage() + " failed: " + f.error().getMessage());
          continue;
        }
        FrameOutcome.Segmented s = (FrameOutcome.Segmented) outcome;
        LabelMap truth;
        try {
          truth = format.truth(ImageCodec.decodePngGray(Files.readAllBytes(pair.mask())), classes);
        } catch (IOException | RuntimeException e) {
          skip(skipped, pair, "mask " + pair.mask().getFileName() + ": " + e.getMessage());
          continue;
        }
        scores.add(i, truth, format.prediction(s.labels(), meta.backgroundClass()));
        stages.add(s);
        if (keep.contains(i)) {
          kept.put(i, s.labels());
        }
      }
      progress.accept(Math.min(pairs.size(), from + batch));
    }
    double wall = (System.nanoTime() - started) / 1e9;
    int scored = stages.perImage.size();
    return new Result(scores.scores(), List.copyOf(skipped), stages.means(), LatencySummary.of(stages.perImage),
        wall > 0 ? scored / wall : 0, wall, kept);
  }

  /** The encoded images of pairs {@code from} until {@code to}; their indices go to {@code indices}, unreadable ones to skipped. */
  private static List<EncodedImage> readImages(List<Pair> pairs, int from, int to, List<Integer> indices, List<Skipped> skipped) {
    List<EncodedImage> frames = new ArrayList<>();
    for (int i = from; i < to; i++) {
      Pair pair = pairs.get(i);
      try {
        // the encoding and size the file's header declares: a PNG goes in as a PNG
        frames.add(EncodedImage.detect(Files.readAllBytes(pair.image())));
        indices.add(i);
      } catch (IOException e) {
        skip(skipped, pair, "cannot read " + pair.image() + ": " + e.getMessage());
      } catch (ImageDecodeException e) {
        skip(skipped, pair, FailureStage.DECODE + " failed: " + e.getMessage());
      }
    }
    return frames;
  }

  /** Per-image stage times: decode, inference (the batch's call divided by its size), refine, encode. */
  private static final class StageTotals {
    private final List<Double> perImage = new ArrayList<>();
    private double decode;
    private double inference;
    private double refine;
    private double encode;

    void add(FrameOutcome.Segmented s) {
      var t = s.timings();
      float inferenceShare = t.inferenceMs() / s.batchSize();
      decode += t.decodeMs();
      inference += inferenceShare;
      refine += t.refineMs();
      encode += t.encodeMs();
      perImage.add((double) (t.decodeMs() + inferenceShare + t.refineMs() + t.encodeMs()));
    }

    Map<String, Double> means() {
      double n = Math.max(1, perImage.size());
      Map<String, Double> stages = new LinkedHashMap<>();
      stages.put("decode", decode / n);
      stages.put("inference", inference / n);
      stages.put("refine", refine / n);
      stages.put("encode", encode / n);
      return stages;
    }
  }

  private static void skip(List<Skipped> skipped, Pair pair, String reason) {
    log.warn("skipping {}: {}", pair.name(), reason);
    skipped.add(new Skipped(pair.name(), reason));
  }
}
