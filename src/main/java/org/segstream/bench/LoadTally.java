package org.segstream.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.segstream.metrics.LatencySummary;
import org.segstream.segment.LeftOut;

/**
 * What came back for one load of {@link LoadBenchmark}: results per stream and sequence (to find frames with none
 * or more than one), the capture → result latencies, and what was left out of each result. Pure bookkeeping, no
 * Kafka: the benchmark adds what its collector read.
 */
final class LoadTally {
  private static final int EXAMPLES = 5;

  private final int streams;
  private final int framesPerStream;
  /** Results per stream and sequence; saturates at 127 (more than one is already a failure). */
  private final byte[][] resultsPerFrame;
  private final long[] latenciesMs;
  private final long[] byPart = new long[LeftOut.Part.values().length];
  private final List<String> unexpected = new ArrayList<>();
  private int results;
  private long full;
  private long firstCaptureMs = Long.MAX_VALUE;
  private long lastResultMs = Long.MIN_VALUE;

  /** @param framesPerStream frames 0..framesPerStream-1 fed to each stream */
  LoadTally(int streams, int framesPerStream) {
    if (streams < 1 || framesPerStream < 1) {
      throw new IllegalArgumentException("a load has at least one stream and one frame, got " + streams + " x " + framesPerStream);
    }
    this.streams = streams;
    this.framesPerStream = framesPerStream;
    this.resultsPerFrame = new byte[streams][framesPerStream];
    this.latenciesMs = new long[streams * framesPerStream];
  }

  /**
   * One frame result (not an end-of-stream result).
   *
   * @param leftOut what the processor left out, null when the frame was fully processed
   */
  void add(int stream, long sequence, LeftOut.Part leftOut, long captureWallMs, long resultWallMs) {
    if (stream < 0 || stream >= streams || sequence < 0 || sequence >= framesPerStream) {
      // a result for a frame never fed: counted as a repeat, so the run fails
      if (unexpected.size() < EXAMPLES) {
        unexpected.add("stream " + stream + " #" + sequence + " (never fed)");
      }
      results++;
      return;
    }
    byte[] perFrame = resultsPerFrame[stream];
    int s = (int) sequence;
    if (perFrame[s] < Byte.MAX_VALUE) {
      perFrame[s]++;
    }
    if (results < latenciesMs.length) {
      latenciesMs[results] = resultWallMs - captureWallMs;
    }
    results++;
    if (leftOut == null) {
      full++;
    } else {
      byPart[leftOut.ordinal()]++;
    }
    firstCaptureMs = Math.min(firstCaptureMs, captureWallMs);
    lastResultMs = Math.max(lastResultMs, resultWallMs);
  }

  /**
   * The load's row.
   *
   * @param offeredPerSecond frames per second offered over all streams
   * @param accuracy the load's accuracy against the synthetic truth
   */
  LoadResult.Load load(double offeredPerSecond, LoadResult.Accuracy accuracy) {
    long missing = 0;
    long repeated = unexpected.size();
    List<String> examples = new ArrayList<>(unexpected);
    for (int st = 0; st < streams; st++) {
      for (int seq = 0; seq < framesPerStream; seq++) {
        int n = resultsPerFrame[st][seq];
        if (n == 0) {
          missing++;
        } else if (n > 1) {
          repeated++;
        }
        if (n != 1 && examples.size() < EXAMPLES) {
          examples.add("stream " + st + " #" + seq + " x" + n);
        }
      }
    }
    int counted = Math.min(results, latenciesMs.length);
    LatencySummary latency = LatencySummary.of(Arrays.stream(latenciesMs, 0, counted).boxed().toList());
    long answered = full + Arrays.stream(byPart).sum();
    double seconds = (lastResultMs - firstCaptureMs) / 1000.0;
    double achieved = answered == 0 || seconds <= 0 ? 0 : answered / seconds;
    LoadResult.Shares shares = answered == 0 ? new LoadResult.Shares(0, 0, 0, 0)
        : new LoadResult.Shares((double) full / answered,
            (double) byPart[LeftOut.Part.FULL_RESOLUTION_REFINEMENT.ordinal()] / answered,
            (double) byPart[LeftOut.Part.REFINEMENT.ordinal()] / answered,
            (double) byPart[LeftOut.Part.SEGMENTATION.ordinal()] / answered);
    return new LoadResult.Load(streams, offeredPerSecond, achieved, latency, (long) streams * framesPerStream, results, missing,
        repeated, examples, shares, accuracy);
  }
}
