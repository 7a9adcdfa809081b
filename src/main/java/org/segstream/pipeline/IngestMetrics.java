package org.segstream.pipeline;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.segstream.ingest.DropReason;
import org.segstream.ingest.FrameListener;
import org.segstream.ingest.IngestRunner;
import org.segstream.ingest.LiveSource;
import org.segstream.ingest.SourceStats;
import org.segstream.telemetry.PipelineMetrics;

/** The ingest side's metrics: what the ingest runner publishes and what its live sources count, recorded. */
public final class IngestMetrics {
  private IngestMetrics() {}

  /** Records each published frame, and what live sources counted since (drops by reason, reconnects). */
  public static FrameListener listener(PipelineMetrics recorder, List<IngestRunner.Stream> streams) {
    if (recorder == PipelineMetrics.NONE) {
      return frame -> {};
    }
    Map<String, long[]> counted = new ConcurrentHashMap<>(); // per stream: drops and reconnects already recorded
    Map<String, SourceStats> liveStats = new HashMap<>();
    for (IngestRunner.Stream s : streams) {
      if (s.source() instanceof LiveSource live) {
        liveStats.put(s.options().streamId(), live.stats());
      }
    }
    return frame -> {
      recorder.framePublished(frame.streamId());
      SourceStats stats = liveStats.get(frame.streamId());
      if (stats != null) {
        recordDropsAndReconnects(recorder, frame.streamId(), stats, counted);
      }
    };
  }

  /** Forwards what the source counted since the last call to the metrics (drops by reason, reconnects). */
  private static void recordDropsAndReconnects(
      PipelineMetrics recorder, String streamId, SourceStats stats, Map<String, long[]> counted) {
    SourceStats.Snapshot s = stats.snapshot();
    long[] seen = counted.computeIfAbsent(streamId, k -> new long[3]);
    long queueFull = s.dropped().get(DropReason.QUEUE_FULL);
    long maxFps = s.dropped().get(DropReason.MAX_FPS);
    for (; seen[0] < queueFull; seen[0]++) {
      recorder.frameDropped(streamId, DropReason.QUEUE_FULL.toString());
    }
    for (; seen[1] < maxFps; seen[1]++) {
      recorder.frameDropped(streamId, DropReason.MAX_FPS.toString());
    }
    for (; seen[2] < s.reconnects(); seen[2]++) {
      recorder.reconnected(streamId);
    }
  }
}
