package org.segstream.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.segstream.avro.SegmentationResult;

/** What came back: results per frame, and when the first result produced after a mark arrived. */
final class ResultTally {
  private final Set<String> streamIds;
  private final Map<String, Map<Long, Integer>> resultsPerFrame = new HashMap<>();
  private int results;
  private long markMs = Long.MAX_VALUE;
  private long firstAfterMarkMs;

  ResultTally(Set<String> streamIds) {
    this.streamIds = Set.copyOf(streamIds);
    streamIds.forEach(s -> resultsPerFrame.put(s, new HashMap<>()));
  }

  synchronized void add(SegmentationResult r) {
    if (firstAfterMarkMs == 0 && r.getResultWallTimeMs() >= markMs) {
      firstAfterMarkMs = System.currentTimeMillis();
    }
    if (!r.getEndOfStream()) {
      resultsPerFrame.get(r.getStreamId()).merge(r.getSequence(), 1, Integer::sum);
      results++;
    }
    notifyAll();
  }

  /** From now on, wait for a result produced at or after {@code ms} (epoch). */
  synchronized void mark(long ms) {
    markMs = ms;
    firstAfterMarkMs = 0;
  }

  synchronized long firstAfterMarkMs() {
    return firstAfterMarkMs;
  }

  synchronized boolean awaitFirstAfterMark(Duration wait) throws InterruptedException {
    if (firstAfterMarkMs == 0) {
      wait(wait.toMillis());
    }
    return firstAfterMarkMs != 0;
  }

  synchronized boolean awaitResults(int n, Duration wait) throws InterruptedException {
    if (results < n) {
      wait(wait.toMillis());
    }
    return results >= n;
  }

  /** Frames 0..n-1 of the streams fed round robin, as {@link ChaosFeeder} numbers them. */
  synchronized Counts counts(int frames) {
    int lost = 0;
    int duplicated = 0;
    List<String> examples = new ArrayList<>();
    List<String> ids = List.copyOf(streamIds).stream().sorted().toList();
    for (int s = 0; s < ids.size(); s++) {
      Map<Long, Integer> perFrame = resultsPerFrame.get(ids.get(s));
      long framesOfStream = ChaosFeeder.framesOfStream(frames, ids.size(), s);
      for (long seq = 0; seq < framesOfStream; seq++) {
        int n = perFrame.getOrDefault(seq, 0);
        if (n == 0) {
          lost++;
        } else if (n > 1) {
          duplicated++;
        }
        if (n != 1 && examples.size() < 5) {
          examples.add(ids.get(s) + "#" + seq + " x" + n);
        }
      }
    }
    return new Counts(results, lost, duplicated, examples);
  }

  /** Results, and the frames that had none or more than one (a few named as examples). */
  record Counts(int results, int lost, int duplicated, List<String> examples) {}
}
