package org.segstream.temporal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.segstream.image.ProbabilityMap;
import org.segstream.image.RgbImage;

/**
 * The temporal states of the streams one segmenter (one processor task) handles, at most
 * {@link TemporalSettings#maxStreams} of them: the least recently seen stream's state is dropped for a new one (stream
 * ids come from record data, so their number is not ours to trust). A stream's state starts at its first frame, and
 * is dropped at a discontinuity, a scene cut, a frame of another size, a sequence that does not move forward, and
 * its end. Soft state, in memory only: a task that restarts (crash, rebalance) starts every stream afresh, which
 * costs the first frame its blending and nothing else; exactly-once needs nothing of it. Not thread-safe: its user
 * orders every call (frames of a stream in sequence order).
 */
public final class StreamSmoothers {
  private final TemporalSettings settings;
  private final Map<String, StreamState> byStream;
  private long evicted;

  public StreamSmoothers(TemporalSettings settings) {
    this.settings = settings;
    this.byStream = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, StreamState> eldest) {
        if (size() > settings.maxStreams()) {
          evicted++;
          return true;
        }
        return false;
      }
    };
  }

  /** A frame's probabilities after the temporal step, and what the step did. */
  public record Smoothed(ProbabilityMap probabilities, TemporalBlend blend) {}

  /**
   * The frame's probabilities blended with its stream's past, which then includes this frame.
   *
   * @param discontinuity the frame follows a gap (a reconnect, dropped frames): the stream starts afresh
   * @param image the frame at the model's input size, as the model saw it (kept as the stream's last frame: not to
   *     be changed afterwards)
   * @param current the model's probabilities for it
   */
  public Smoothed smooth(String streamId, long sequence, boolean discontinuity, RgbImage image, ProbabilityMap current) {
    StreamState state = discontinuity ? null : byStream.get(streamId);
    if (state != null && (sequence <= state.sequence() || !state.fits(image, current))) {
      state = null; // a replay from an earlier point, or another size: what came before says nothing of this frame
    }
    StreamState.Alignment moved = state == null ? null : state.align(image);
    boolean sceneCut = moved != null && moved.meanChange() > settings.sceneCutDelta();
    if (state == null || sceneCut || settings.previousWeight() == 0) {
      byStream.remove(streamId); // the put below then counts as the newest
      byStream.put(streamId, StreamState.start(sequence, image, current));
      return new Smoothed(current, TemporalBlend.fresh(sceneCut));
    }
    long previous = state.sequence();
    StreamState.Blended b = state.blend(sequence, image, current, moved, settings);
    return new Smoothed(b.probabilities(), new TemporalBlend(previous, b.blendedShare(), false));
  }

  /** The stream ended, or broke off at a frame that could not be segmented: its state goes. */
  public void forget(String streamId) {
    byStream.remove(streamId);
  }

  /** How many streams have a state. */
  public int streams() {
    return byStream.size();
  }

  /** How many states were dropped for newer streams over the cap. */
  public long evicted() {
    return evicted;
  }
}
