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
import org.segstream.metrics.ScoreAccumulator;
import org.segstream.metrics.Scores;
import org.segstream.model.ModelMetadata;

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
   */
  public record ModeScores(Scores scores, long matched, List<Long> withoutTruth, List<Long> withoutResult) {}

  /**
   * @param frames input frames read
   * @param extraTruth ground-truth sequences beyond the input's frames, plus files that match no frame
   */
  public record Outcome(Map<String, ModeScores> byMode, long frames, List<String> extraTruth) {}

  private ReplayScorer() {}

  public static Outcome score(
      FrameSource source,
      GroundTruthFiles truthFiles,
      GroundTruthFormat format,
      ModelMetadata meta,
      int boundaryTolerancePx,
      Map<String, List<SegmentationResult>> resultsByMode,
      Consumer<FrameView> onFrame) {
    int classes = meta.classNames().size();
    Map<String, TreeMap<Long, SegmentationResult>> byMode = new LinkedHashMap<>();
    Map<String, ScoreAccumulator> accumulators = new LinkedHashMap<>();
    Map<String, List<Long>> withoutTruth = new LinkedHashMap<>();
    Map<String, List<Long>> withoutResult = new LinkedHashMap<>();
    resultsByMode.forEach((mode, results) -> {
      TreeMap<Long, SegmentationResult> bySequence = new TreeMap<>();
      for (SegmentationResult r : results) {
        if (!r.getEndOfStream()) {
          bySequence.put(r.getSequence(), r);
        }
      }
      byMode.put(mode, bySequence);
      accumulators.put(mode, new ScoreAccumulator(
          format.scoredClasses(meta.classNames()), format.scoredBackground(meta.backgroundClass()), boundaryTolerancePx));
      withoutTruth.put(mode, new ArrayList<>());
      withoutResult.put(mode, new ArrayList<>());
    });
    long sequence = 0;
    try (FrameReader reader = source.open()) {
      for (CapturedFrame captured; (captured = reader.next()) != null; sequence++) {
        LabelMap truth = truthFiles.read(sequence, format, classes);
        Map<String, LabelMap> predictions = new LinkedHashMap<>();
        Map<String, SegmentationResult> results = new LinkedHashMap<>();
        for (var e : byMode.entrySet()) {
          String mode = e.getKey();
          SegmentationResult r = e.getValue().get(sequence);
          if (r == null) {
            if (truth != null) {
              withoutResult.get(mode).add(sequence);
            }
            continue;
          }
          LabelMap labels = ResultRecords.labels(r);
          predictions.put(mode, labels);
          results.put(mode, r);
          LabelMap scored = format.prediction(labels, meta.backgroundClass());
          ScoreAccumulator acc = accumulators.get(mode);
          acc.addToSequence(scored);
          if (truth != null) {
            acc.add(sequence, truth, scored);
          } else {
            withoutTruth.get(mode).add(sequence);
          }
        }
        onFrame.accept(new FrameView(sequence, captured.image(), truth, predictions, results));
      }
    }
    // results for sequences beyond the frames read again (should not happen: the same source)
    for (var e : byMode.entrySet()) {
      for (long s : e.getValue().tailMap(sequence).keySet()) {
        withoutTruth.get(e.getKey()).add(s);
      }
    }
    List<String> extra = new ArrayList<>();
    for (var e : truthFiles.bySequence().tailMap(sequence).entrySet()) {
      extra.add(e.getValue().getFileName() + " (frame " + e.getKey() + ", the input has " + sequence + ")");
    }
    for (var p : truthFiles.unmatched()) {
      extra.add(p.getFileName() + " (matches no frame: no number, below frame 0, or a repeated number)");
    }
    Map<String, ModeScores> out = new LinkedHashMap<>();
    for (String mode : byMode.keySet()) {
      Scores s = accumulators.get(mode).scores();
      out.put(mode, new ModeScores(s, s.frames(), List.copyOf(new TreeSet<>(withoutTruth.get(mode))), List.copyOf(withoutResult.get(mode))));
    }
    return new Outcome(out, sequence, List.copyOf(extra));
  }
}
