package org.segstream.track;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The objects of one stream, frame after frame: each frame's blobs are matched to the tracks of the frames
 * before by the overlap (IoU) of their boxes with the tracks' boxes predicted at constant velocity, greedily,
 * best pair first; blobs left over are matched to tracks left over by how near their centres are (a fast or
 * re-entering object); blobs still left start new tracks. A track that finds no blob coasts on its velocity
 * (stopped at the frame's edge) for up to {@code maxLostFrames} frames (frames in which it would lie behind another
 * object count a quarter), so an object hidden for a while keeps its id. When two tracks run into one blob (objects that touch or cross merge into one foreground component), the
 * one that takes the blob coasts too, so both come out of the crossing where they were heading.
 *
 * <p>Ids: an epoch begins at the first frame and after each {@link #reset}; an epoch beginning at sequence
 * {@code s} numbers its objects from {@code s × }{@value #ID_STRIDE}{@code  + 1}. A frame has at most {@value
 * #ID_STRIDE}{@code  - 1} blobs, so the ids of one epoch stay below those of any later one: an id is never reused
 * within a stream, even by a tracker that restarted empty (after a crash or a rebalance) part way through it.
 * A stream read from its start numbers its objects 1, 2, 3...
 *
 * <p>Not thread-safe: frames of one stream come in sequence order, one at a time.
 */
public final class Tracker {
  /** Ids of an epoch beginning at sequence s start at s × ID_STRIDE + 1. */
  public static final long ID_STRIDE = ForegroundComponents.MAX_PER_FRAME + 1;
  /** A blob and a predicted box overlapping less than this are not matched by overlap. */
  static final double MIN_IOU = 0.1;
  /** Centre distance, in units of the larger of the two boxes' diagonals, under which leftovers are matched. */
  static final double MAX_CENTRE_DISTANCE = 1.0;
  /** A blob this much larger than a track's box, over another track's predicted box, is a merge. */
  static final double MERGE_GROWTH = 1.3;
  /** Weight of the newest displacement in the velocity. */
  static final double VELOCITY_GAIN = 0.5;
  /**
   * A frame unseen counts this much towards the memory while the object's predicted box lies mostly inside a blob
   * (hidden behind another object, not gone), so an object behind a large one keeps its id up to 4 times longer.
   */
  static final double HIDDEN_FRAME_WEIGHT = 0.25;

  /**
   * At most this many tracks per stream (a frame's blobs always fit): beyond it the longest-unseen go first, so a
   * noisy stream of many specks costs bounded memory and matching time.
   */
  static final int MAX_TRACKS = ForegroundComponents.MAX_PER_FRAME + 1;

  private final int maxLostFrames;
  private final List<Track> tracks = new ArrayList<>();
  private long nextId;
  private long lastSequence = Long.MIN_VALUE;

  /** One object followed over frames: its box (centre and size) and velocity, in px and px per frame. */
  private static final class Track {
    final long id;
    double cx;
    double cy;
    double w;
    double h;
    double vx;
    double vy;
    long sequence; // of the frame the box is at
    double missed; // frames unseen, hidden ones weighed less
    int hits;

    Track(long id, Blob b, long sequence) {
      this.id = id;
      this.cx = b.x() + b.width() / 2.0;
      this.cy = b.y() + b.height() / 2.0;
      this.w = b.width();
      this.h = b.height();
      this.sequence = sequence;
      this.hits = 1;
    }

    double[] predicted(long at) {
      long dt = at - sequence;
      return new double[] {cx + vx * dt, cy + vy * dt, w, h};
    }

    void measure(Blob b, long at) {
      double bcx = b.x() + b.width() / 2.0;
      double bcy = b.y() + b.height() / 2.0;
      long dt = Math.max(1, at - sequence);
      double ivx = (bcx - cx) / dt;
      double ivy = (bcy - cy) / dt;
      if (hits == 1) {
        vx = ivx;
        vy = ivy;
      } else {
        vx += VELOCITY_GAIN * (ivx - vx);
        vy += VELOCITY_GAIN * (ivy - vy);
      }
      cx = bcx;
      cy = bcy;
      w = b.width();
      h = b.height();
      sequence = at;
      missed = 0;
      hits++;
    }

    /** Moves on at its velocity; stops at the frame's edge (an object that left comes back where it went). */
    void coast(long at, int frameWidth, int frameHeight) {
      double[] p = predicted(at);
      cx = p[0];
      cy = p[1];
      if (cx < 0 || cx > frameWidth || cy < 0 || cy > frameHeight) {
        cx = Math.max(0, Math.min(frameWidth, cx));
        cy = Math.max(0, Math.min(frameHeight, cy));
        vx = 0;
        vy = 0;
      }
      sequence = at;
    }
  }

  /** @param maxLostFrames how many frames a track that finds no blob is kept (a short occlusion keeps the id) */
  public Tracker(int maxLostFrames) {
    if (maxLostFrames < 0) {
      throw new IllegalArgumentException("the lost-track memory must be 0 frames or more, got " + maxLostFrames);
    }
    this.maxLostFrames = maxLostFrames;
  }

  /** Forgets every track; the next ids start at {@code sequence × ID_STRIDE + 1}. */
  public void reset(long sequence) {
    tracks.clear();
    // sequences come from record data: clamped so that the base cannot overflow
    nextId = Math.min(Math.max(0, sequence), Long.MAX_VALUE / ID_STRIDE - 2) * ID_STRIDE + 1;
    lastSequence = Long.MIN_VALUE;
  }

  /** The sequence of the last frame seen, {@link Long#MIN_VALUE} before the first (and after a reset). */
  public long lastSequence() {
    return lastSequence;
  }

  /** How many tracks are kept (seen in this frame or coasting). */
  public int trackCount() {
    return tracks.size();
  }

  /**
   * The frame's blobs with their ids, in the blobs' order.
   *
   * @param sequence the frame's sequence number, above the last one's (a frame not after the last resets)
   */
  public List<TrackedInstance> update(long sequence, List<Blob> blobs, int frameWidth, int frameHeight) {
    if (lastSequence == Long.MIN_VALUE || sequence <= lastSequence) {
      reset(sequence); // the first frame of an epoch (again after a reset: the same ids), or a stream started over
    }
    lastSequence = sequence;
    int nt = tracks.size();
    int nb = blobs.size();
    double[][] predicted = new double[nt][];
    for (int t = 0; t < nt; t++) {
      predicted[t] = tracks.get(t).predicted(sequence);
    }
    int[] trackOfBlob = new int[nb];
    int[] blobOfTrack = new int[nt];
    Arrays.fill(trackOfBlob, -1);
    Arrays.fill(blobOfTrack, -1);
    // overlap first, best pair first
    List<double[]> pairs = new ArrayList<>();
    for (int t = 0; t < nt; t++) {
      for (int b = 0; b < nb; b++) {
        double iou = iou(predicted[t], blobs.get(b));
        if (iou >= MIN_IOU) {
          pairs.add(new double[] {iou, t, b});
        }
      }
    }
    pairs.sort(Comparator.comparingDouble((double[] p) -> p[0]).reversed());
    assign(pairs, trackOfBlob, blobOfTrack);
    // then nearness, nearest first, for what overlap left
    pairs.clear();
    for (int t = 0; t < nt; t++) {
      if (blobOfTrack[t] >= 0) {
        continue;
      }
      for (int b = 0; b < nb; b++) {
        if (trackOfBlob[b] >= 0) {
          continue;
        }
        double d = centreDistance(predicted[t], blobs.get(b));
        if (d <= MAX_CENTRE_DISTANCE) {
          pairs.add(new double[] {d, t, b});
        }
      }
    }
    pairs.sort(Comparator.comparingDouble((double[] p) -> p[0]));
    assign(pairs, trackOfBlob, blobOfTrack);

    List<TrackedInstance> out = new ArrayList<>(nb);
    for (int b = 0; b < nb; b++) {
      Blob blob = blobs.get(b);
      int t = trackOfBlob[b];
      if (t < 0) {
        continue;
      }
      Track track = tracks.get(t);
      if (isMerge(t, blob, predicted, blobOfTrack)) {
        track.coast(sequence, frameWidth, frameHeight);
        track.missed = 0;
      } else {
        track.measure(blob, sequence);
      }
    }
    for (int t = 0; t < nt; t++) {
      if (blobOfTrack[t] < 0) {
        Track track = tracks.get(t);
        track.missed += isHidden(predicted[t], blobs) ? HIDDEN_FRAME_WEIGHT : 1;
        track.coast(sequence, frameWidth, frameHeight);
      }
    }
    long[] ids = new long[nb];
    for (int b = 0; b < nb; b++) {
      if (trackOfBlob[b] >= 0) {
        ids[b] = tracks.get(trackOfBlob[b]).id;
      } else {
        Track born = new Track(nextId++, blobs.get(b), sequence);
        tracks.add(born);
        ids[b] = born.id;
      }
    }
    tracks.removeIf(track -> track.missed > maxLostFrames);
    if (tracks.size() > MAX_TRACKS) {
      // tracks seen in this frame have missed 0 and sort last: only unseen ones go
      tracks.sort(Comparator.comparingDouble((Track track) -> track.missed).reversed());
      tracks.subList(0, tracks.size() - MAX_TRACKS).clear();
    }
    for (int b = 0; b < nb; b++) {
      out.add(blobs.get(b).withId(ids[b]));
    }
    return out;
  }

  /** Whether the blob is this track's object merged with another's: much larger than the track, and over a track left unmatched. */
  private boolean isMerge(int t, Blob blob, double[][] predicted, int[] blobOfTrack) {
    Track track = tracks.get(t);
    if ((double) blob.width() * blob.height() < MERGE_GROWTH * track.w * track.h) {
      return false;
    }
    for (int other = 0; other < predicted.length; other++) {
      if (other != t && blobOfTrack[other] < 0) {
        double[] p = predicted[other];
        double inside = intersection(p, blob);
        if (inside >= 0.5 * p[2] * p[3]) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the box lies mostly inside one of the blobs (behind the object there). */
  private static boolean isHidden(double[] box, List<Blob> blobs) {
    for (Blob b : blobs) {
      if (intersection(box, b) >= 0.5 * box[2] * box[3]) {
        return true;
      }
    }
    return false;
  }

  private static void assign(List<double[]> pairs, int[] trackOfBlob, int[] blobOfTrack) {
    for (double[] p : pairs) {
      int t = (int) p[1];
      int b = (int) p[2];
      if (blobOfTrack[t] < 0 && trackOfBlob[b] < 0) {
        blobOfTrack[t] = b;
        trackOfBlob[b] = t;
      }
    }
  }

  /** IoU of a box given as {centre x, centre y, width, height} with a blob's box. */
  static double iou(double[] box, Blob b) {
    double inter = intersection(box, b);
    double union = box[2] * box[3] + (double) b.width() * b.height() - inter;
    return union <= 0 ? 0 : inter / union;
  }

  private static double intersection(double[] box, Blob b) {
    double x0 = Math.max(box[0] - box[2] / 2, b.x());
    double x1 = Math.min(box[0] + box[2] / 2, b.x() + b.width());
    double y0 = Math.max(box[1] - box[3] / 2, b.y());
    double y1 = Math.min(box[1] + box[3] / 2, b.y() + b.height());
    return x1 <= x0 || y1 <= y0 ? 0 : (x1 - x0) * (y1 - y0);
  }

  private static double centreDistance(double[] box, Blob b) {
    double dx = box[0] - (b.x() + b.width() / 2.0);
    double dy = box[1] - (b.y() + b.height() / 2.0);
    double scale = Math.max(Math.hypot(box[2], box[3]), Math.hypot(b.width(), b.height()));
    return Math.hypot(dx, dy) / Math.max(1, scale);
  }
}
