package org.segstream.synth;

import java.util.List;
import java.util.SplittableRandom;
import org.segstream.image.RgbImage;

/**
 * Random labelled scenes in the Oxford-IIIT Pet layout: 1–3 textured, saturated objects (class 0) with a
 * border ring along their visible edges (class 2) on a dull textured background with distractor shapes
 * (class 1), then optional blur and pixel noise. The same seed gives the same sequence of scenes (for the
 * same sequence of sizes). Not thread-safe: one instance per thread.
 */
public final class SyntheticScenes {
  public static final List<String> CLASS_NAMES = List.of("object", "background", "border");
  public static final int OBJECT_CLASS = Painter.OBJECT;
  public static final int BACKGROUND_CLASS = Painter.BACKGROUND;
  public static final int BORDER_CLASS = Painter.BORDER;

  private final SplittableRandom sequence;

  public SyntheticScenes(long seed) {
    this.sequence = new SplittableRandom(seed);
  }

  /** The next scene of the sequence at the given size. */
  public LabelledImage next(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("scene size must be positive, got " + width + "x" + height);
    }
    SplittableRandom rng = new SplittableRandom(sequence.nextLong());
    byte[] rgb = Painter.background(rng, width, height);
    byte[] owner = new byte[width * height];
    double side = Math.min(width, height);
    double roll = rng.nextDouble();
    int objects = roll < 0.5 ? 1 : roll < 0.8 ? 2 : 3;
    for (int id = 1; id <= objects; id++) {
      Sprite sprite = Painter.sprite(rng, side * Painter.uniform(rng, 0.16, 0.36), true);
      double cx = width * Painter.uniform(rng, 0.12, 0.88);
      double cy = height * Painter.uniform(rng, 0.12, 0.88);
      sprite.draw(rgb, owner, width, height, cx, cy, rng.nextDouble() * 2 * Math.PI, id);
    }
    if (rng.nextBoolean()) {
      Painter.boxBlur3(rgb, width, height, new int[rgb.length]);
    }
    Painter.addNoise(rgb, rng.nextLong(), rng.nextInt(9));
    return new LabelledImage(new RgbImage(width, height, rgb),
        Painter.truth(owner, width, height, Painter.borderHalfWidth(width, height)));
  }
}
