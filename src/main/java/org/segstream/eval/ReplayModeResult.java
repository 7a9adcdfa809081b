package org.segstream.eval;

import java.util.List;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.SegmentationResult;

/**
 * One refine mode's replay: what went in and came back, how it scored against the ground truth, and its latency.
 *
 * @param deadLetterReasons the first ten dead letters, {@code STAGE: ErrorClass: message}
 * @param replaySeconds the wall time of the replay, processor start to the end-of-stream result
 * @param latenciesMs capture → result of every frame result, in arrival order (for the histogram)
 */
public record ReplayModeResult(
    String streamId,
    String applicationId,
    long framesIn,
    int resultsOut,
    boolean endOfStream,
    int deadLetters,
    List<String> deadLetterReasons,
    ReplayScorer.ModeScores scores,
    ReplayStatistics statistics,
    double replaySeconds,
    List<Double> latenciesMs) {

  public ReplayModeResult {
    deadLetterReasons = List.copyOf(deadLetterReasons);
    latenciesMs = List.copyOf(latenciesMs);
  }

  static ReplayModeResult of(ReplayRun.Outcome outcome, ReplayScorer.ModeScores scores) {
    List<SegmentationResult> frameResults = outcome.frameResults();
    return new ReplayModeResult(
        outcome.streamId(),
        outcome.applicationId(),
        outcome.ingest().framesPublished(),
        frameResults.size(),
        outcome.endOfStream(),
        outcome.deadLetters().size(),
        reasons(outcome.deadLetters()),
        scores,
        ReplayStatistics.of(outcome.results()),
        outcome.wallTime().toMillis() / 1000.0,
        frameResults.stream().map(r -> (double) (r.getResultWallTimeMs() - r.getCaptureWallTimeMs())).toList());
  }

  private static List<String> reasons(List<DeadLetter> deadLetters) {
    return deadLetters.stream().limit(10).map(d -> d.getStage() + ": " + d.getErrorClass() + ": " + d.getErrorMessage()).toList();
  }
}
