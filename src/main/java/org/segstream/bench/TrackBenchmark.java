package org.segstream.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.segstream.config.InvalidSettingException;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.metrics.IdentityAccumulator;
import org.segstream.metrics.IdentityScores;
import org.segstream.metrics.ObjectBox;
import org.segstream.refine.Contour;
import org.segstream.refine.Contours;
import org.segstream.synth.SyntheticClip;
import org.segstream.synth.SyntheticScenes;
import org.segstream.synth.TrackingClip;
import org.segstream.track.StreamTrackers;
import org.segstream.track.TrackedInstance;
import org.segstream.track.TrackerSettings;

/**
 * The tracker's cost per frame (foreground components, matching, contour lookup: what the processor adds per frame
 * with tracking on) on the synthetic tracking scenes and a busier clip, on their exact masks, one thread; and how
 * well it follows the scenes' true objects on those masks (the tracker alone, without a model's errors).
 */
public final class TrackBenchmark {
  private static final int BUSY_OBJECTS = 8;
  private static final int BUSY_FRAMES = 90;

  private TrackBenchmark() {}

  /**
   * @param passes timed passes over each clip (a fresh tracker each)
   * @param warmup untimed passes first (JIT warm-up)
   * @param writeScenes where to write each tracking scene as frames/, masks/ (class indices) and ids/ (true object ids)
   *     for {@code eval --gt-instances}; null: nowhere
   */
  public record Request(int width, int height, int passes, int warmup, Path writeScenes) {
    public Request {
      if (width < 64 || height < 64) {
        throw new InvalidSettingException("size", "the frames must be at least 64x64, got " + width + "x" + height);
      }
      if (passes < 1) {
        throw new InvalidSettingException("passes", "timed passes must be at least 1, got " + passes);
      }
      if (warmup < 0) {
        throw new InvalidSettingException("warmup", "warm-up passes must be 0 or more, got " + warmup);
      }
    }
  }

  /**
   * One clip: milliseconds per frame over every timed frame, and the identity scores of the first pass (null for a
   * clip without true ids).
   */
  public record ClipResult(String clip, int frames, int crossings, double meanMs, double p50Ms, double p99Ms, double maxMs,
      IdentityScores identity) {}

  public record Result(int width, int height, List<ClipResult> clips) {
    public Result {
      clips = List.copyOf(clips);
    }

    public void print(PrintWriter out) {
      out.printf(Locale.ROOT, "tracking per frame at %dx%d (components + matching, one thread, exact masks)%n", width, height);
      out.printf(Locale.ROOT, "%-18s %6s %9s %9s %9s %9s  %s%n", "clip", "frames", "mean ms", "p50 ms", "p99 ms", "max ms",
          "ID switches / crossings, fragmentations, IDF1, MOTA");
      for (ClipResult c : clips) {
        String identity = c.identity() == null ? "-" : String.format(Locale.ROOT, "%d / %d, %d, %.3f, %.3f",
            c.identity().idSwitches(), c.crossings(), c.identity().fragmentations(), c.identity().idf1(), c.identity().mota());
        out.printf(Locale.ROOT, "%-18s %6d %9.3f %9.3f %9.3f %9.3f  %s%n", c.clip(), c.frames(), c.meanMs(), c.p50Ms(),
            c.p99Ms(), c.maxMs(), identity);
      }
      out.flush();
    }
  }

  /** A clip prepared before timing: its class truth, contours and (for the tracking scenes) true object boxes. */
  private record Prepared(String name, int crossings, LabelMap[] labels, List<List<Contour>> contours, List<List<ObjectBox>> truth) {}

  public static Result run(Request request) {
    List<ClipResult> results = new ArrayList<>();
    for (TrackingClip.Scene scene : TrackingClip.Scene.values()) {
      TrackingClip clip = new TrackingClip(scene, 7, request.width(), request.height());
      if (request.writeScenes() != null) {
        write(clip, request.writeScenes().resolve(scene.id()));
      }
      results.add(measure(request, prepare(clip)));
    }
    results.add(measure(request, busy(request)));
    return new Result(request.width(), request.height(), results);
  }

  private static Prepared prepare(TrackingClip clip) {
    int n = clip.frameCount();
    LabelMap[] labels = new LabelMap[n];
    List<List<Contour>> contours = new ArrayList<>();
    List<List<ObjectBox>> truth = new ArrayList<>();
    for (int f = 0; f < n; f++) {
      TrackingClip.Frame frame = clip.frame(f);
      labels[f] = frame.labelled().truth();
      contours.add(Contours.extract(labels[f], SyntheticScenes.BACKGROUND_CLASS, 1.5, 16));
      truth.add(ObjectBox.of(frame.objectIds()));
    }
    return new Prepared(clip.scene().id(), clip.crossings(), labels, contours, truth);
  }

  private static Prepared busy(Request request) {
    SyntheticClip clip = new SyntheticClip(3, request.width(), request.height(), BUSY_OBJECTS);
    LabelMap[] labels = new LabelMap[BUSY_FRAMES];
    List<List<Contour>> contours = new ArrayList<>();
    for (int f = 0; f < BUSY_FRAMES; f++) {
      labels[f] = clip.frame(f).truth();
      contours.add(Contours.extract(labels[f], SyntheticScenes.BACKGROUND_CLASS, 1.5, 16));
    }
    return new Prepared("busy-" + BUSY_OBJECTS + "-objects", 0, labels, contours, null);
  }

  private static ClipResult measure(Request request, Prepared clip) {
    int n = clip.labels().length;
    double[] ms = new double[n * request.passes()];
    IdentityScores identity = null;
    for (int pass = -request.warmup(); pass < request.passes(); pass++) {
      StreamTrackers trackers = new StreamTrackers(new TrackerSettings(SyntheticScenes.BACKGROUND_CLASS, 16,
          TrackerSettings.DEFAULT_MAX_LOST_FRAMES, 1));
      IdentityAccumulator acc = new IdentityAccumulator();
      for (int f = 0; f < n; f++) {
        long t0 = System.nanoTime();
        List<TrackedInstance> got = trackers.update("bench", f, false, clip.labels()[f], clip.contours().get(f));
        long t1 = System.nanoTime();
        if (pass >= 0) {
          ms[pass * n + f] = (t1 - t0) / 1e6;
        }
        if (pass == 0 && clip.truth() != null) {
          List<ObjectBox> predicted = new ArrayList<>(got.size());
          for (TrackedInstance i : got) {
            predicted.add(new ObjectBox(i.id(), i.x(), i.y(), i.width(), i.height()));
          }
          acc.add(clip.truth().get(f), predicted);
        }
      }
      if (pass == 0 && clip.truth() != null) {
        identity = acc.result();
      }
    }
    double mean = Arrays.stream(ms).average().orElse(Double.NaN);
    Arrays.sort(ms);
    return new ClipResult(clip.name(), n, clip.crossings(), mean, percentile(ms, 0.50), percentile(ms, 0.99), ms[ms.length - 1],
        identity);
  }

  private static double percentile(double[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  /** The scene as {@code frames/00000.jpg}, {@code masks/00000.png} (class indices) and {@code ids/00000.png} (object ids). */
  private static void write(TrackingClip clip, Path dir) {
    try {
      Path frames = Files.createDirectories(dir.resolve("frames"));
      Path masks = Files.createDirectories(dir.resolve("masks"));
      Path ids = Files.createDirectories(dir.resolve("ids"));
      for (int f = 0; f < clip.frameCount(); f++) {
        TrackingClip.Frame frame = clip.frame(f);
        String name = String.format(Locale.ROOT, "%05d", f);
        Files.write(frames.resolve(name + ".jpg"), ImageCodec.encodeJpeg(frame.labelled().image(), 95));
        Files.write(masks.resolve(name + ".png"), ImageCodec.encodePngGray(frame.labelled().truth()));
        Files.write(ids.resolve(name + ".png"), ImageCodec.encodePngGray(frame.objectIds()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the scene " + clip.scene().id() + " into " + dir + ": " + e.getMessage(), e);
    }
  }
}
