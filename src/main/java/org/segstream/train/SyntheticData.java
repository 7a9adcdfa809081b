package org.segstream.train;

import java.util.ArrayList;
import java.util.List;
import org.segstream.dataset.Example;
import org.segstream.model.InputGeometry;
import org.segstream.synth.LabelledImage;
import org.segstream.synth.SyntheticScenes;

/**
 * Synthetic scenes from {@link SyntheticScenes}: an endless training stream from {@code seed} and a
 * validation set from a second sequence that the training stream never reaches.
 */
public final class SyntheticData implements TrainingData {
  /** Mixed into the seed for the validation sequence, so it differs from the training one. */
  private static final long VALIDATION_SALT = 0x5e65_7a1dL;

  private final long seed;
  private final int validationCount;
  private SyntheticScenes training;
  private long drawn;

  public SyntheticData(long seed, int validationCount) {
    if (validationCount < 1) {
      throw new IllegalArgumentException("validation needs at least one scene, got " + validationCount);
    }
    this.seed = seed;
    this.validationCount = validationCount;
    this.training = new SyntheticScenes(seed);
  }

  @Override
  public String dataset() {
    return "synthetic";
  }

  @Override
  public List<String> classNames() {
    return SyntheticScenes.CLASS_NAMES;
  }

  @Override
  public int backgroundClass() {
    return SyntheticScenes.BACKGROUND_CLASS;
  }

  @Override
  public long splitSeed() {
    return seed ^ VALIDATION_SALT;
  }

  @Override
  public int pairCount() {
    return 0;
  }

  @Override
  public void skipTo(long examplesDrawn) {
    // a fresh stream seeded by the position: deterministic for a given resume point, without replaying
    training = examplesDrawn == 0 ? new SyntheticScenes(seed) : new SyntheticScenes(seed + 0x9E3779B97F4A7C15L * examplesDrawn);
    drawn = examplesDrawn;
  }

  @Override
  public Example next(int width, int height) {
    LabelledImage scene = training.next(width, height);
    return new Example("synthetic-" + seed + "-" + drawn++, scene.image(), scene.truth());
  }

  @Override
  public List<Example> validation(int width, int height) {
    return validation(InputGeometry.stretched(width, height));
  }

  /** Aspect-true: scene i at the size of {@link TrainGeometry#COMMON_ASPECTS} entry i (mod their count). */
  @Override
  public List<Example> validation(InputGeometry geometry) {
    SyntheticScenes scenes = new SyntheticScenes(splitSeed());
    List<Example> examples = new ArrayList<>(validationCount);
    for (int i = 0; i < validationCount; i++) {
      int[] aspect = TrainGeometry.COMMON_ASPECTS.get(i % TrainGeometry.COMMON_ASPECTS.size());
      InputGeometry.Size size = geometry.sizeFor(aspect[0], aspect[1]);
      LabelledImage scene = scenes.next(size.width(), size.height());
      examples.add(new Example("synthetic-val-" + splitSeed() + "-" + i, scene.image(), scene.truth()));
    }
    return examples;
  }
}
