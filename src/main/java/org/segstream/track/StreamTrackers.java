package org.segstream.track;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.segstream.image.LabelMap;
import org.segstream.refine.Contour;

/**
 * The trackers of the streams one processor task handles, at most {@link TrackerSettings#maxStreams} of them: the
 * least recently seen stream's tracker is dropped for a new one (stream ids come from record data, so their
 * number is not ours to trust). A stream's tracker starts at its first frame seen, is reset at a discontinuity
 * and dropped at its end of stream. Held in memory only: a task that restarts (crash, rebalance) tracks again
 * from empty, with ids from a fresh base ({@link Tracker}), which is what an exactly-once replay of the
 * uncommitted frames needs no more than. Not thread-safe: one per task, frames in sequence order per stream.
 */
public final class StreamTrackers {
  private final TrackerSettings settings;
  private final ForegroundComponents components = new ForegroundComponents();
  private final Map<String, Tracker> byStream;
  private long evicted;

  public StreamTrackers(TrackerSettings settings) {
    this.settings = settings;
    this.byStream = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Tracker> eldest) {
        if (size() > settings.maxStreams()) {
          evicted++;
          return true;
        }
        return false;
      }
    };
  }

  /**
   * The frame's objects with their ids.
   *
   * @param discontinuity the frame follows a gap (a reconnect, dropped frames): ids start afresh
   * @param contours the frame's contours, for each object's contour index
   */
  public List<TrackedInstance> update(String streamId, long sequence, boolean discontinuity, LabelMap labels, List<Contour> contours) {
    List<Blob> blobs = components.find(labels, settings.backgroundClass(), settings.minArea(), contours);
    Tracker tracker = byStream.computeIfAbsent(streamId, id -> new Tracker(settings.maxLostFrames()));
    if (discontinuity) {
      tracker.reset(sequence);
    }
    return tracker.update(sequence, blobs, labels.width(), labels.height());
  }

  /** The stream ended: its tracker goes. */
  public void endOfStream(String streamId) {
    byStream.remove(streamId);
  }

  /** How many streams have a tracker. */
  public int streams() {
    return byStream.size();
  }

  /** How many trackers were dropped for newer streams over the cap. */
  public long evicted() {
    return evicted;
  }
}
