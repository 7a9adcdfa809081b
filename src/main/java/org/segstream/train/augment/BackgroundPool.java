package org.segstream.train.augment;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.segstream.dataset.Example;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;

/**
 * Where the backgrounds of zoom-out and copy-paste come from. Each draw picks one source uniformly:
 * another training pair's background region (its pet and border painted over), a scene frame (a DAVIS
 * sequence outside its mask) when any were given, or a generated texture. A draw is a pure function of
 * the random source. Every pixel of a background is background: no pet ever comes from here.
 */
public final class BackgroundPool {
  /** One kind of background, drawn at a requested size. */
  @FunctionalInterface
  public interface Source {
    RgbImage draw(int width, int height, SplittableRandom random);
  }

  /** A training pair is used as a background only when at least this share of the crop is background. */
  static final double MIN_BACKGROUND_SHARE = 0.25;
  /** The crop's side is at least this share of the largest crop of the requested aspect. */
  static final double MIN_CROP = 0.5;
  private static final int PAIR_TRIES = 4;

  private final List<Source> sources;

  public BackgroundPool(List<Source> sources) {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("a background pool needs at least one source");
    }
    this.sources = List.copyOf(sources);
  }

  /**
   * The standard pool: other training pairs' backgrounds (when there are pairs), the scene frames
   * (when there are any) and generated textures.
   */
  public static BackgroundPool of(List<Example> pairs, int backgroundClass, List<RgbImage> scenes) {
    List<Example> pairList = List.copyOf(pairs);
    List<RgbImage> sceneList = List.copyOf(scenes);
    List<Source> sources = new ArrayList<>();
    if (!pairList.isEmpty()) {
      sources.add((w, h, r) -> fromPairs(pairList, backgroundClass, w, h, r));
    }
    if (!sceneList.isEmpty()) {
      sources.add((w, h, r) -> fromScene(sceneList.get(r.nextInt(sceneList.size())), w, h, r));
    }
    sources.add(Textures::draw);
    return new BackgroundPool(sources);
  }

  public int sourceCount() {
    return sources.size();
  }

  /** A background of {@code width × height}. */
  public RgbImage draw(int width, int height, SplittableRandom random) {
    return sources.get(random.nextInt(sources.size())).draw(width, height, random);
  }

  /** A random crop of a random pair where its labels say background, the rest painted over; a texture if none has enough. */
  static RgbImage fromPairs(List<Example> pairs, int backgroundClass, int width, int height, SplittableRandom random) {
    for (int attempt = 0; attempt < PAIR_TRIES; attempt++) {
      Example pair = pairs.get(random.nextInt(pairs.size()));
      Crops.Box box = randomBox(pair.image().width(), pair.image().height(), width, height, random);
      boolean flip = random.nextBoolean();
      RgbImage crop = Crops.cut(pair.image(), box, flip);
      LabelMap labels = Crops.cut(pair.truth(), box, flip);
      boolean[] hole = new boolean[labels.labels().length];
      int background = 0;
      for (int i = 0; i < hole.length; i++) {
        hole[i] = (labels.labels()[i] & 0xff) != backgroundClass;
        background += hole[i] ? 0 : 1;
      }
      if (background >= MIN_BACKGROUND_SHARE * hole.length) {
        HoleFill.fill(crop.rgb(), crop.width(), crop.height(), hole);
        return ImageCodec.resizeBilinear(crop, width, height);
      }
    }
    return Textures.draw(width, height, random);
  }

  static RgbImage fromScene(RgbImage scene, int width, int height, SplittableRandom random) {
    Crops.Box box = randomBox(scene.width(), scene.height(), width, height, random);
    return ImageCodec.resizeBilinear(Crops.cut(scene, box, random.nextBoolean()), width, height);
  }

  /** A box of the requested aspect, {@link #MIN_CROP}–1 of the largest such box, at a random place. */
  private static Crops.Box randomBox(int sourceWidth, int sourceHeight, int width, int height,
      SplittableRandom random) {
    int[] full = Crops.largest(sourceWidth, sourceHeight, width, height);
    double scale = MIN_CROP + (1 - MIN_CROP) * random.nextDouble();
    int cw = Math.max(1, (int) Math.round(full[0] * scale));
    int ch = Math.max(1, (int) Math.round(full[1] * scale));
    return new Crops.Box(random.nextInt(sourceWidth - cw + 1), random.nextInt(sourceHeight - ch + 1), cw, ch);
  }
}
