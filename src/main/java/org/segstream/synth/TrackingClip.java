package org.segstream.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;

/**
 * Scripted clips for scoring a tracker: objects like those of {@link SyntheticClip} on straight paths that cross,
 * pass behind one another or leave the frame and come back, with each frame's ground truth twice: the classes
 * ({@link SyntheticScenes#CLASS_NAMES}) and the object ids (pixel = id of the object seen there, 1..; 0 = none; the
 * object drawn last is in front). An object keeps its id for the whole clip, off-screen spells included, as the MOT
 * convention wants. Frames are random-access and deterministic for (scene, seed, size). Thread-safe.
 */
public final class TrackingClip {
  private static final int FPS = 30;

  /** What happens in the clip. */
  public enum Scene {
    /** Two objects meet head on and pass over one another, one partly in front: one crossing. */
    CROSSING(90, 1),
    /** A small object passes wholly behind a large one and comes out the other side: one crossing. */
    OCCLUSION(90, 1),
    /** An object leaves through the right edge, stays out about half a second and comes back; another stays: no crossing. */
    LEAVE_AND_RETURN(90, 0);

    private final int frames;
    private final int crossings;

    Scene(int frames, int crossings) {
      this.frames = frames;
      this.crossings = crossings;
    }

    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** A frame: the image with its class truth, and its object ids. */
  public record Frame(LabelledImage labelled, LabelMap objectIds) {}

  /**
   * One object's path: x advances at vx per frame until frame {@code turn}, then comes back the same way; y at vy.
   * Objects are drawn in list order, so a later one is in front.
   */
  private record Mover(Sprite sprite, double x0, double y0, double vx, double vy, int turn) {
    double x(int frame) {
      return x0 + vx * (frame <= turn ? frame : 2.0 * turn - frame);
    }

    double y(int frame) {
      return y0 + vy * frame;
    }
  }

  private final Scene scene;
  private final int width;
  private final int height;
  private final byte[] background;
  private final List<Mover> movers;
  private final long noiseSeed;

  public TrackingClip(Scene scene, long seed, int width, int height) {
    if (width < 64 || height < 64) {
      throw new IllegalArgumentException("a tracking clip needs at least 64x64 pixels, got " + width + "x" + height);
    }
    this.scene = scene;
    this.width = width;
    this.height = height;
    SplittableRandom rng = new SplittableRandom(seed);
    this.background = Painter.background(rng, width, height);
    double side = Math.min(width, height);
    int n = scene.frames;
    List<Mover> list = new ArrayList<>();
    switch (scene) {
      case CROSSING -> {
        // they meet in the middle at frame n/2; the second, a little lower, passes in front
        Sprite a = Painter.sprite(rng, side * 0.13, true);
        Sprite b = Painter.sprite(rng, side * 0.13, true);
        double span = width - 2 * side * 0.2;
        double speed = span / n;
        list.add(new Mover(a, side * 0.2, height / 2.0 - side * 0.06, speed, 0, Integer.MAX_VALUE));
        list.add(new Mover(b, width - side * 0.2, height / 2.0 + side * 0.06, -speed, 0, Integer.MAX_VALUE));
      }
      case OCCLUSION -> {
        Sprite small = Painter.sprite(rng, side * 0.08, true);
        Sprite large = Painter.sprite(rng, side * 0.25, true);
        double span = width - 2 * side * 0.12;
        // the small one first, so the large one is drawn over it
        list.add(new Mover(small, side * 0.12, height / 2.0, span / n, 0, Integer.MAX_VALUE));
        list.add(new Mover(large, width / 2.0, height / 2.0, 0, 0, Integer.MAX_VALUE));
      }
      case LEAVE_AND_RETURN -> {
        Sprite leaver = Painter.sprite(rng, side * 0.12, true);
        Sprite stayer = Painter.sprite(rng, side * 0.12, true);
        double r = leaver.radius();
        // out of the frame from about frame 30 to 60 of 90, back to where it started at the end
        double turnX = width + r + side * 0.1;
        double x0 = width * 0.55;
        int turn = n / 2;
        list.add(new Mover(stayer, width * 0.2, height * 0.3, 0, side * 0.002, Integer.MAX_VALUE));
        list.add(new Mover(leaver, x0, height * 0.6, (turnX - x0) / turn, 0, turn));
      }
      default -> throw new IllegalStateException("no script for " + scene);
    }
    this.movers = List.copyOf(list);
    this.noiseSeed = rng.nextLong();
  }

  public Scene scene() {
    return scene;
  }

  public int frameCount() {
    return scene.frames;
  }

  /** How many times objects cross (meet and part) in the clip. */
  public int crossings() {
    return scene.crossings;
  }

  public int fps() {
    return FPS;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Frame {@code index}, 0 ≤ index < {@link #frameCount}. */
  public Frame frame(int index) {
    if (index < 0 || index >= scene.frames) {
      throw new IllegalArgumentException("frame index must be 0.." + (scene.frames - 1) + ", got " + index);
    }
    byte[] rgb = background.clone();
    byte[] owner = new byte[width * height];
    for (int k = 0; k < movers.size(); k++) {
      Mover m = movers.get(k);
      m.sprite().draw(rgb, owner, width, height, m.x(index), m.y(index), 0, k + 1);
    }
    Painter.addNoise(rgb, noiseSeed + index, 2);
    LabelMap truth = Painter.truth(owner, width, height, Painter.borderHalfWidth(width, height));
    return new Frame(new LabelledImage(new RgbImage(width, height, rgb), truth), new LabelMap(width, height, owner));
  }
}
