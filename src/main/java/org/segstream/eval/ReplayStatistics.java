package org.segstream.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.segstream.avro.LeftOutPart;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.Timings;
import org.segstream.metrics.LatencySummary;

/**
 * Latency and throughput of a replay, from the results' own timestamps and stage timings.
 *
 * @param leftOut results that left a part out to keep a latency budget, by part (every part, 0 included)
 */
public record ReplayStatistics(
    long results,
    LatencySummary captureToResultMs,
    Map<String, Double> meanStageMs,
    double meanBatchSize,
    double framesPerSecond,
    double spanSeconds,
    Map<String, Long> leftOut) {

  public ReplayStatistics {
    leftOut = Collections.unmodifiableMap(new LinkedHashMap<>(leftOut));
  }

  /** Statistics over the frame results (end-of-stream results are ignored). */
  public static ReplayStatistics of(List<SegmentationResult> all) {
    List<Double> latencies = new ArrayList<>();
    double queue = 0, decode = 0, inference = 0, refine = 0, encode = 0, batch = 0;
    long firstCapture = Long.MAX_VALUE;
    long lastResult = Long.MIN_VALUE;
    int n = 0;
    Map<String, Long> leftOut = new LinkedHashMap<>();
    for (LeftOutPart part : LeftOutPart.values()) {
      leftOut.put(part.name(), 0L);
    }
    for (SegmentationResult r : all) {
      if (r.getEndOfStream()) {
        continue;
      }
      n++;
      if (r.getLeftOut() != null) {
        leftOut.merge(r.getLeftOut().getPart().name(), 1L, Long::sum);
      }
      latencies.add((double) (r.getResultWallTimeMs() - r.getCaptureWallTimeMs()));
      Timings t = r.getTimings();
      queue += t.getQueueWaitMs();
      decode += t.getDecodeMs();
      inference += t.getInferenceMs();
      refine += t.getRefineMs();
      encode += t.getEncodeMs();
      batch += r.getBatchSize();
      firstCapture = Math.min(firstCapture, r.getCaptureWallTimeMs());
      lastResult = Math.max(lastResult, r.getResultWallTimeMs());
    }
    Map<String, Double> stages = new LinkedHashMap<>();
    double d = Math.max(1, n);
    stages.put("queueWait", queue / d);
    stages.put("decode", decode / d);
    stages.put("inference", inference / d);
    stages.put("refine", refine / d);
    stages.put("encode", encode / d);
    double span = n == 0 ? 0 : (lastResult - firstCapture) / 1000.0;
    return new ReplayStatistics(n, LatencySummary.of(latencies), stages, batch / d, span > 0 ? n / span : 0, span, leftOut);
  }
}
