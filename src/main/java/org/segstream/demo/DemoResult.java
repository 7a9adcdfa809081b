package org.segstream.demo;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.segstream.eval.PredictedFrames;
import org.segstream.eval.ReplayStatistics;
import org.segstream.eval.RunHeader;
import org.segstream.model.ModelMetadata;

/**
 * The demo's outcome, which {@code org.segstream.report} writes up: one clip through ingest → Kafka → the processor,
 * what came back, and for a synthetic clip its accuracy against the clip's exact truth.
 *
 * @param input what was ingested, in words ("synthetic clip, seed 7, 640x360, 10 s" or the file)
 * @param refine the refine mode, {@code off} or {@code crf}
 * @param accuracy null for a real video (no ground truth)
 * @param wallSeconds from the start of the demo until its figures were known (before the report is drawn)
 * @param inputVideo the file ingested (the synthetic clip is written as {@code input.mp4} in the output directory)
 * @param overlay the frames with their predictions, null when no result came back
 */
public record DemoResult(
    RunHeader header,
    String input,
    ModelMetadata model,
    Path modelDirectory,
    String streamId,
    long framesIn,
    int resultsOut,
    boolean endOfStream,
    int deadLetters,
    String refine,
    int batchSize,
    Accuracy accuracy,
    ReplayStatistics statistics,
    double wallSeconds,
    Path inputVideo,
    PredictedFrames overlay) {

  /**
   * Accuracy over every frame whose prediction covers it, from one confusion matrix over the clip.
   *
   * @param perClassIoU by class name, in class order
   * @param boundaryF2px the mean boundary F at 2 px tolerance
   */
  public record Accuracy(double mIoU, double pixelAccuracy, Map<String, Double> perClassIoU, double foregroundIoU, double boundaryF2px) {
    public Accuracy {
      perClassIoU = Collections.unmodifiableMap(new LinkedHashMap<>(perClassIoU));
    }
  }
}
