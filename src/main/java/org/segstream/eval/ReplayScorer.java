package org.segstream.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.segstream.avro.SegmentationResult;
import org.segstream.dataset.GroundTruthFormat;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;
import org.segstream.ingest.CapturedFrame;
import org.segstream.ingest.FrameReader;
import org.segstream.ingest.FrameSource;
import org.segstream.kafka.ResultRecords;
import org.segstream.metrics.IdentityAccumulator;
import org.segstream.metrics.IdentityScores;
import org.segstream.metrics.ObjectBox;
import org.segstream.metrics.ScoreAccumulator;
import org.segstream.metrics.Scores;
import org.segstream.model.ModelMetadata;
import org.segstream.track.TrackedInstance;

/**
 * Scores the results of one or more replays of a source (one per refine mode) against numbered ground truth:
 * reads the source again frame by frame, so the caller can also draw each frame (overlay video, contact sheet)
 * without holding the video in memory. Results are matched to truth by sequence number.
 */
public final class ReplayScorer {

  /**
   * One frame with everything known about it.
   *
   * @param truth the scored truth labels, null when this frame has no ground truth
   * @param predictions per mode, the model's labels (absent when the mode has no result for the frame)
   * @param results per mode, the result records (for contours and timings)
   */
  public record FrameView(
      long sequence, RgbImage frame, LabelMap truth, Map<String, LabelMap> predictions, Map<String, SegmentationResult> results) {}

  /**
   * The figures of one mode.
   *
   * @param matched frames with both a result and ground truth (the scored frames)
   * @param withoutTruth sequences with a result but no ground truth
   * @param withoutResult sequences with ground truth and an input frame but no result (e.g. dead letters)
   * @param identity how the results' instances follow the true objects, null without object-id truth
   */
  public record ModeScores(Scores scores, long matched, List<Long> withoutTruth, List<Long> withoutResult, IdentityScores identity) {}

  /**
   * @param frames input frames read
   * @param extraTruth ground-truth sequences beyond the input's frames, plus files that match no frame
   */
  public record Outcome(Map<String, ModeScores> byMode, long frames, List<String> extraTruth) {}

  private ReplayScorer() {}

  /**
   * @param idFiles numbered maps of the true object ids, or null: no identity scores
   */
  public static Outcome score(
      FrameSource source,
      GroundTruthFiles truthFiles,
      GroundTruthFiles idFiles,
      GroundTruthFormat format,
      ModelMetadata meta,
      int boundaryTolerancePx,
      Map<String, List<SegmentationResult>> resultsByMode,
      Consumer<FrameView> onFrame) {
    int classes = meta.classNames().size();
    Map<String, ModeTally> tallies = new LinkedHashMap<>();
    resultsByMode.forEach((mode, results) -> tallies.put(mode, new ModeTally(results, new ScoreAccumulator(
        format.scoredClasses(meta.classNames()), format.scoredBackground(meta.backgroundClass()), boundaryTolerancePx),
        idFiles == null ? null : new IdentityAccumulator())));
    long sequence = 0;
    try (FrameReader reader = source.open()) {
      for (CapturedFrame captured; (captured = reader.next()) != null; sequence++) {
        LabelMap truth = truthFiles.read(sequence, format, classes);
        LabelMap ids = idFiles == null ? null : idFiles.readRaw(sequence);
        List<ObjectBox> trueObjects = ids == null ? null : ObjectBox.of(ids);
        Map<String, LabelMap> predictions = new LinkedHashMap<>();
        Map<String, SegmentationResult> results = new LinkedHashMap<>();
        for (var e : tallies.entrySet()) {
          SegmentationResult r = e.getValue().bySequence.get(sequence);
          if (trueObjects != null) {
            e.getValue().identity.add(trueObjects, r == null ? List.of() : boxes(ResultRecords.instances(r)));
          }
          if (r == null || !r.getLabelMapPng().hasRemaining()) { // none, or skipped (a live budget; eval sets none)
            if (truth != null) {
              e.getValue().withoutResult.add(sequence);
            }
            continue;
          }
          LabelMap labels = ResultRecords.labels(r);
          predictions.put(e.getKey(), labels);
          results.put(e.getKey(), r);
          e.getValue().add(sequence, truth, format.prediction(labels, meta.backgroundClass()));
        }
        onFrame.accept(new FrameView(sequence, captured.image(), truth, predictions, results));
      }
    }
    Map<String, ModeScores> out = new LinkedHashMap<>();
    for (var e : tallies.entrySet()) {
      out.put(e.getKey(), e.getValue().scores(sequence));
    }
    return new Outcome(out, sequence, extraTruth(truthFiles, sequence));
  }

  private static List<ObjectBox> boxes(List<TrackedInstance> instances) {
    List<ObjectBox> out = new ArrayList<>(instances.size());
    for (TrackedInstance i : instances) {
      out.add(new ObjectBox(i.id(), i.x(), i.y(), i.width(), i.height()));
    }
    return out;
  }

  /** Ground truth beyond the {@code frames} read, and files that match no frame, each with the reason. */
  private static List<String> extraTruth(GroundTruthFiles truthFiles, long frames) {
    List<String> extra = new ArrayList<>();
    for (var e : truthFiles.bySequence().tailMap(frames).entrySet()) {
      extra.add(e.getValue().getFileName() + " (frame " + e.getKey() + ", the input has " + frames + ")");
    }
    for (var p : truthFiles.unmatched()) {
      extra.add(p.getFileName() + " (matches no frame: no number, below frame 0, or a repeated number)");
    }
    return List.copyOf(extra);
  }

  /** One mode's results by sequence and its figures so far. */
  private static final class ModeTally {
    private final TreeMap<Long, SegmentationResult> bySequence = new TreeMap<>();
    private final ScoreAccumulator accumulator;
    private final IdentityAccumulator identity;
    private final List<Long> withoutTruth = new ArrayList<>();
    private final List<Long> withoutResult = new ArrayList<>();

    ModeTally(List<SegmentationResult> results, ScoreAccumulator accumulator, IdentityAccumulator identity) {
      this.identity = identity;
      for (SegmentationResult r : results) {
        if (!r.getEndOfStream()) {
          bySequence.put(r.getSequence(), r);
        }
      }
      this.accumulator = accumulator;
    }

    /** A frame's prediction in the scored classes, against its truth when there is one. */
    void add(long sequence, LabelMap truth, LabelMap scored) {
      accumulator.addToSequence(scored);
      if (truth != null) {
        accumulator.add(sequence, truth, scored);
      } else {
        withoutTruth.add(sequence);
      }
    }

    ModeScores scores(long framesRead) {
      // results for sequences beyond the frames read again (should not happen: the same source)
      withoutTruth.addAll(bySequence.tailMap(framesRead).keySet());
      Scores s = accumulator.scores();
      return new ModeScores(s, s.frames(), List.copyOf(new TreeSet<>(withoutTruth)), List.copyOf(withoutResult),
          identity == null ? null : identity.result());
    }
  }
}
