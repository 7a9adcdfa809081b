package org.segstream.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.segstream.config.InvalidSettingException;
import org.segstream.dataset.DatasetException;
import org.segstream.dataset.Example;
import org.segstream.dataset.GroundTruthFormat;
import org.segstream.dataset.Pair;
import org.segstream.dataset.PairLayout;
import org.segstream.dataset.ValidationSplit;
import org.segstream.image.RgbImage;
import org.segstream.model.InputGeometry;
import org.segstream.train.augment.Augmentations;
import org.segstream.train.augment.BackgroundPool;
import org.segstream.train.augment.Crops;
import org.segstream.train.augment.DavisBackgrounds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder dataset preloaded into memory once, resized for one input geometry. Stretched (as before
 * aspect-true models): training pairs stored {@value #STORE_SCALE}× the input size (so random crops keep
 * detail), validation pairs at the input size. Aspect-true: training pairs keep their aspect ratio,
 * the long side {@value #STORE_SCALE}× the model's, and each validation pair is at the size {@link
 * InputGeometry} gives its frame. {@link #next} serves any size: a crop of the requested aspect out of
 * the stored pair, resized. Example k of the training stream is a pure function of (seed, k) — which
 * pair, which flip, crop, colour jitter and further augmentations — so a resumed run draws exactly
 * what the interrupted one would have.
 */
public final class FolderData implements TrainingData {
  /** Training images are stored this much larger than the input size when augmenting. */
  static final double STORE_SCALE = 1.25;
  private static final Logger LOG = LoggerFactory.getLogger(FolderData.class);

  /**
   * @param validationCount held-out pairs; if 0, {@code validationFraction} of the pairs
   * @param balanced draw breeds (a pair's name without its trailing {@code _N}) uniformly, then a pair of that breed
   * @param inputLongSide aspect-true: the model's long side ({@code width × height} is then only the nominal
   *     size); 0 for every pair stretched to {@code width × height}
   * @param inputMultiple aspect-true: what the short side is rounded to
   * @param augmentations what runs on top of the basic flip, crop and jitter (when {@code augment})
   * @param backgrounds DAVIS sequence folders whose frames, outside their masks, serve zoom-out and paste
   */
  public record Settings(int width, int height, int validationCount, double validationFraction, long splitSeed,
      long seed, boolean augment, boolean balanced, int loadThreads, int inputLongSide, int inputMultiple,
      Augmentations augmentations, List<Path> backgrounds) {
    public Settings {
      if (validationCount < 0) {
        throw new InvalidSettingException("validation-count",
            "the validation count must be 0 (use the fraction) or positive, got " + validationCount);
      }
      if (validationCount == 0 && !(validationFraction > 0 && validationFraction < 1)) {
        throw new InvalidSettingException("validation-fraction",
            "the validation fraction must be in (0, 1), got " + validationFraction);
      }
      backgrounds = List.copyOf(backgrounds);
      if (!augment && !augmentations.equals(Augmentations.BASIC)) {
        throw new InvalidSettingException("augmentations", "augmentations " + augmentations.id()
            + " were asked for with augmentation off (--no-augment)");
      }
      if (!backgrounds.isEmpty() && !augmentations.needsBackgrounds()) {
        throw new InvalidSettingException("backgrounds", "backgrounds are used by the zoom-out and paste augmentations;"
            + " add --augmentations zoom-out,paste (or all), or leave --backgrounds out");
      }
    }

    /** Stretched to {@code width × height}, basic augmentation. */
    public Settings(int width, int height, int validationCount, double validationFraction, long splitSeed, long seed,
        boolean augment, boolean balanced, int loadThreads) {
      this(width, height, validationCount, validationFraction, splitSeed, seed, augment, balanced, loadThreads, 0, 32,
          Augmentations.BASIC, List.of());
    }

    /** How validation pairs are sized. */
    public InputGeometry geometry() {
      return inputLongSide > 0 ? InputGeometry.aspectTrue(inputLongSide, inputMultiple)
          : InputGeometry.stretched(width, height);
    }
  }

  /** A pair left out while loading, and why. */
  public record Skipped(String name, String reason) {}

  private final PairLayout layout;
  private final Settings settings;
  private final List<Example> training;
  private final List<Example> validation;
  private final List<Skipped> skipped;
  private final PairSampler sampler;
  private final BackgroundPool backgrounds; // null: no augmentation needs one
  private long drawn;

  private FolderData(PairLayout layout, Settings settings, List<Example> training, List<Example> validation,
      List<Skipped> skipped, List<RgbImage> scenes) {
    this.layout = layout;
    this.settings = settings;
    this.training = training;
    this.validation = validation;
    this.skipped = skipped;
    this.sampler = new PairSampler(training, settings.seed(), settings.balanced());
    this.backgrounds = settings.augment() && settings.augmentations().needsBackgrounds()
        ? BackgroundPool.of(training, layout.backgroundClass(), scenes) : null;
  }

  /**
   * Reads, checks and resizes every pair of the layout, splits off the validation pairs ({@link ValidationSplit});
   * logs and counts the pairs it skips. Loads the background sequences the settings name.
   */
  public static FolderData load(PairLayout layout, Settings settings) {
    layout.requireClasses();
    List<String> names = layout.names();
    if (names.isEmpty()) {
      throw new DatasetException(layout.root(), "the dataset " + layout.root() + " has no images in images/");
    }
    List<RgbImage> scenes = new ArrayList<>();
    for (Path sequence : settings.backgrounds()) {
      scenes.addAll(DavisBackgrounds.load(sequence, 2 * PairLoader.storeLongSide(settings)));
    }
    Map<String, Object> results = PairLoader.readAll(layout, names, settings);
    List<String> usable = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    for (Map.Entry<String, Object> r : results.entrySet()) {
      if (r.getValue() instanceof Skipped s) {
        LOG.warn("skipping {}: {}", s.name(), s.reason());
        skipped.add(s);
      } else {
        usable.add(r.getKey());
      }
    }
    if (usable.isEmpty()) {
      throw new DatasetException(layout.root(), "the dataset " + layout.root() + " has no usable pairs: all " + names.size()
          + " were skipped (first reason: " + skipped.get(0).reason() + ")");
    }
    ValidationSplit split = ValidationSplit.of(usable, settings.validationCount(), settings.validationFraction(),
        settings.splitSeed());
    List<Example> training = new ArrayList<>();
    for (String name : split.training()) {
      training.add(((PairLoader.Loaded) results.get(name)).stored());
    }
    List<Example> validation = new ArrayList<>();
    for (String name : split.validation()) {
      validation.add(((PairLoader.Loaded) results.get(name)).atInput());
    }
    // training order by name, so the sampler does not depend on the split's shuffle
    training.sort((a, b) -> a.name().compareTo(b.name()));
    return new FolderData(layout, settings, List.copyOf(training), List.copyOf(validation), List.copyOf(skipped),
        scenes);
  }

  /** The image stretched bilinearly, the labels by nearest neighbour: as the processor resizes frames. */
  static Example resized(Example e, int width, int height) {
    return PairLoader.resized(e, width, height);
  }

  public List<Skipped> skipped() {
    return skipped;
  }

  public PairLayout layout() {
    return layout;
  }

  @Override
  public List<Pair> validationPairs() {
    return ValidationSplit.select(layout.pairs(), validation.stream().map(Example::name).toList(), layout.root());
  }

  @Override
  public GroundTruthFormat maskFormat() {
    return layout.maskFormat();
  }

  public List<Example> trainingExamples() {
    return training;
  }

  @Override
  public String dataset() {
    return layout.dataset();
  }

  @Override
  public List<String> classNames() {
    return layout.classNames();
  }

  @Override
  public int backgroundClass() {
    return layout.backgroundClass();
  }

  @Override
  public long splitSeed() {
    return settings.splitSeed();
  }

  @Override
  public int pairCount() {
    return training.size();
  }

  @Override
  public void skipTo(long examplesDrawn) {
    drawn = examplesDrawn;
  }

  @Override
  public Example next(int width, int height) {
    long k = drawn++;
    SplittableRandom random = new SplittableRandom(PairSampler.mix(settings.seed(), k));
    Example e = training.get(sampler.pick(k, random));
    if (!settings.augment()) {
      return fitted(e, width, height);
    }
    return Augmentation.apply(e, width, height, random, settings.augmentations(), backgrounds, backgroundClass());
  }

  /** The largest centred crop of the requested aspect, resized: a stored pair without augmentation. */
  private static Example fitted(Example e, int width, int height) {
    int sw = e.image().width();
    int sh = e.image().height();
    if (sw == width && sh == height) {
      return e;
    }
    int[] crop = Crops.largest(sw, sh, width, height);
    Crops.Box box = new Crops.Box((sw - crop[0]) / 2, (sh - crop[1]) / 2, crop[0], crop[1]);
    return resized(new Example(e.name(), Crops.cut(e.image(), box, false), Crops.cut(e.truth(), box, false)),
        width, height);
  }

  @Override
  public List<Example> validation(int width, int height) {
    if (settings.inputLongSide() > 0) {
      throw new IllegalArgumentException("this dataset was loaded aspect-true (long side " + settings.inputLongSide()
          + "): its validation pairs have their own sizes, not " + width + "x" + height);
    }
    if (width != settings.width() || height != settings.height()) {
      throw new IllegalArgumentException("this dataset was loaded for " + settings.width() + "x" + settings.height()
          + ", not " + width + "x" + height);
    }
    return validation;
  }

  @Override
  public List<Example> validation(InputGeometry geometry) {
    InputGeometry loaded = settings.geometry();
    for (int[] aspect : TrainGeometry.COMMON_ASPECTS) {
      if (geometry.keepsAspect() != loaded.keepsAspect()
          || !geometry.sizeFor(aspect[0], aspect[1]).equals(loaded.sizeFor(aspect[0], aspect[1]))) {
        throw new IllegalArgumentException("this dataset was loaded for another input geometry ("
            + (loaded.keepsAspect() ? "aspect-true, long side " + settings.inputLongSide() : "stretched to "
            + settings.width() + "x" + settings.height()) + ") than the one asked for");
      }
    }
    return validation;
  }

  /** Held-out pairs. */
  public int validationCount() {
    return validation.size();
  }

  /** Distinct breeds among the training pairs. */
  public int breedCount() {
    return sampler.breedCount();
  }
}
