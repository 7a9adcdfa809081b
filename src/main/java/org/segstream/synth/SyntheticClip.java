package org.segstream.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.segstream.image.RgbImage;

/**
 * A synthetic video: objects like those of {@link SyntheticScenes} moving on straight paths that bounce off
 * the frame's walls (each object stays wholly inside the frame, border ring included) and turning slowly, over
 * a fixed textured background, with exact ground truth per frame. Frames are random-access and deterministic
 * for a seed: {@code frame(i)} is a pure function of (seed, size, objectCount, i). Thread-safe.
 */
public final class SyntheticClip {
  private static final int FPS = 30;

  private final int width;
  private final int height;
  private final long noiseSeed;
  private final byte[] background;
  private final List<Mover> movers;
  private final boolean blur;
  private final int noiseAmplitude;

  /** One object's path: a position that folds back at [min, max] per axis (a bounce), and a steady spin. */
  private record Mover(Sprite sprite, double x0, double y0, double vx, double vy, double angle0, double spin,
      double minX, double maxX, double minY, double maxY) {
    double x(int frame) {
      return fold(x0 + vx * frame, minX, maxX);
    }

    double y(int frame) {
      return fold(y0 + vy * frame, minY, maxY);
    }

    private static double fold(double p, double min, double max) {
      double span = max - min;
      if (span <= 0) {
        return (min + max) / 2;
      }
      double m = (p - min) % (2 * span);
      if (m < 0) {
        m += 2 * span;
      }
      return min + (m <= span ? m : 2 * span - m);
    }
  }

  public SyntheticClip(long seed, int width, int height, int objectCount) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("clip size must be positive, got " + width + "x" + height);
    }
    if (objectCount < 0 || objectCount > 254) {
      throw new IllegalArgumentException("object count must be 0..254, got " + objectCount);
    }
    this.width = width;
    this.height = height;
    SplittableRandom rng = new SplittableRandom(seed);
    this.background = Painter.background(rng, width, height);
    double side = Math.min(width, height);
    int margin = Painter.borderHalfWidth(width, height) + 2;
    List<Mover> list = new ArrayList<>();
    for (int k = 0; k < objectCount; k++) {
      Sprite sprite = Painter.sprite(rng, side * Painter.uniform(rng, 0.1, 0.2), true);
      double reach = sprite.radius() + margin;
      double minX = reach;
      double maxX = width - reach;
      double minY = reach;
      double maxY = height - reach;
      double speed = side / 360.0 * Painter.uniform(rng, 2.0, 5.0);
      double heading = rng.nextDouble() * 2 * Math.PI;
      list.add(new Mover(sprite, Painter.uniform(rng, minX, Math.max(minX, maxX)),
          Painter.uniform(rng, minY, Math.max(minY, maxY)), speed * Math.cos(heading), speed * Math.sin(heading),
          rng.nextDouble() * 2 * Math.PI, Painter.uniform(rng, -0.03, 0.03), minX, maxX, minY, maxY));
    }
    this.movers = List.copyOf(list);
    this.blur = rng.nextBoolean();
    this.noiseAmplitude = rng.nextInt(7);
    this.noiseSeed = rng.nextLong();
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

  public int objectCount() {
    return movers.size();
  }

  /** Frame {@code index} (0 = first), presentation time index / fps seconds. */
  public LabelledImage frame(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("frame index must be ≥ 0, got " + index);
    }
    byte[] rgb = background.clone();
    byte[] owner = new byte[width * height];
    for (int k = 0; k < movers.size(); k++) {
      Mover m = movers.get(k);
      m.sprite().draw(rgb, owner, width, height, m.x(index), m.y(index), m.angle0() + m.spin() * index, k + 1);
    }
    if (blur) {
      Painter.boxBlur3(rgb, width, height, new int[rgb.length]);
    }
    Painter.addNoise(rgb, noiseSeed + index, noiseAmplitude);
    return new LabelledImage(new RgbImage(width, height, rgb),
        Painter.truth(owner, width, height, Painter.borderHalfWidth(width, height)));
  }
}
