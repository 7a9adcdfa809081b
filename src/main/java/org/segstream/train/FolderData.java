package org.segstream.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.segstream.config.InvalidSettingException;
import org.segstream.dataset.DatasetException;
import org.segstream.dataset.Example;
import org.segstream.dataset.GroundTruthFormat;
import org.segstream.dataset.Pair;
import org.segstream.dataset.PairLayout;
import org.segstream.dataset.SkippedPairException;
import org.segstream.dataset.ValidationSplit;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.image.Resampling;
import org.segstream.image.RgbImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder dataset preloaded into memory once, resized for one input size: training pairs stored a
 * little larger than the input (so random crops keep detail), validation pairs at the input size.
 * Example k of the training stream is a pure function of (seed, k) — which pair, which flip, crop
 * and colour jitter — so a resumed run draws exactly what the interrupted one would have.
 */
public final class FolderData implements TrainingData {
  /** Training images are stored this much larger than the input size when augmenting. */
  static final double STORE_SCALE = 1.25;
  private static final Logger LOG = LoggerFactory.getLogger(FolderData.class);

  /**
   * @param validationCount held-out pairs; if 0, {@code validationFraction} of the pairs
   * @param balanced draw breeds (a pair's name without its trailing {@code _N}) uniformly, then a pair of that breed
   */
  public record Settings(int width, int height, int validationCount, double validationFraction, long splitSeed,
      long seed, boolean augment, boolean balanced, int loadThreads) {
    public Settings {
      if (validationCount < 0) {
        throw new InvalidSettingException("validation-count",
            "the validation count must be 0 (use the fraction) or positive, got " + validationCount);
      }
      if (validationCount == 0 && !(validationFraction > 0 && validationFraction < 1)) {
        throw new InvalidSettingException("validation-fraction",
            "the validation fraction must be in (0, 1), got " + validationFraction);
      }
    }
  }

  /** A pair left out while loading, and why. */
  public record Skipped(String name, String reason) {}

  private final PairLayout layout;
  private final Settings settings;
  private final List<Example> training;
  private final List<Example> validation;
  private final List<Skipped> skipped;
  private final int[][] breeds;
  private long drawn;
  private long permutationEpoch = -1;
  private int[] permutation;

  private FolderData(PairLayout layout, Settings settings, List<Example> training, List<Example> validation,
      List<Skipped> skipped) {
    this.layout = layout;
    this.settings = settings;
    this.training = training;
    this.validation = validation;
    this.skipped = skipped;
    this.breeds = groupByBreed(training);
  }

  /**
   * Reads, checks and resizes every pair of the layout, splits off the validation pairs ({@link ValidationSplit});
   * logs and counts the pairs it skips.
   */
  public static FolderData load(PairLayout layout, Settings settings) {
    layout.requireClasses();
    List<String> names = layout.names();
    if (names.isEmpty()) {
      throw new DatasetException(layout.root(), "the dataset " + layout.root() + " has no images in images/");
    }
    Map<String, Object> results = readAll(layout, names, settings);
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
      training.add(((Loaded) results.get(name)).stored());
    }
    List<Example> validation = new ArrayList<>();
    for (String name : split.validation()) {
      validation.add(((Loaded) results.get(name)).atInput());
    }
    // training order by name, so the sampler does not depend on the split's shuffle
    training.sort((a, b) -> a.name().compareTo(b.name()));
    return new FolderData(layout, settings, List.copyOf(training), List.copyOf(validation), List.copyOf(skipped));
  }

  /** A pair as stored for training (larger when augmenting: crops come from it) and at the model's input size. */
  private record Loaded(Example stored, Example atInput) {}

  /**
   * Reads and resizes every named pair on {@code loadThreads} threads: by name, in the given order, a
   * {@link Loaded} pair or the {@link Skipped} reason.
   */
  private static Map<String, Object> readAll(PairLayout layout, List<String> names, Settings settings) {
    int storeW = settings.augment() ? (int) Math.round(settings.width() * STORE_SCALE) : settings.width();
    int storeH = settings.augment() ? (int) Math.round(settings.height() * STORE_SCALE) : settings.height();
    Map<String, Object> results = new LinkedHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, settings.loadThreads()));
    try {
      Map<String, Future<Object>> futures = new LinkedHashMap<>();
      for (String name : names) {
        futures.put(name, pool.submit(() -> {
          try {
            Example full = layout.read(name);
            Example atInput = resized(full, settings.width(), settings.height());
            Example stored = storeW == settings.width() && storeH == settings.height() ? atInput
                : resized(full, storeW, storeH);
            return new Loaded(stored, atInput);
          } catch (SkippedPairException e) {
            return new Skipped(name, e.getMessage());
          }
        }));
      }
      for (Map.Entry<String, Future<Object>> f : futures.entrySet()) {
        results.put(f.getKey(), f.getValue().get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading " + layout.root(), e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot load " + layout.root() + ": " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return results;
  }

  /** The image stretched bilinearly, the labels by nearest neighbour: as the processor resizes frames. */
  static Example resized(Example e, int width, int height) {
    RgbImage image = ImageCodec.resizeBilinear(e.image(), width, height);
    LabelMap labels = Resampling.nearest(e.truth(), width, height);
    return new Example(e.name(), image, labels);
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
    if (width != settings.width() || height != settings.height()) {
      throw new IllegalArgumentException("this dataset was loaded for " + settings.width() + "x" + settings.height()
          + ", not " + width + "x" + height);
    }
    long k = drawn++;
    SplittableRandom random = new SplittableRandom(mix(settings.seed(), k));
    Example e = training.get(pick(k, random));
    if (!settings.augment()) {
      return e;
    }
    return Augmentation.apply(e, width, height, random);
  }

  @Override
  public List<Example> validation(int width, int height) {
    if (width != settings.width() || height != settings.height()) {
      throw new IllegalArgumentException("this dataset was loaded for " + settings.width() + "x" + settings.height()
          + ", not " + width + "x" + height);
    }
    return validation;
  }

  private int pick(long k, SplittableRandom random) {
    if (settings.balanced()) {
      int[] breed = breeds[random.nextInt(breeds.length)];
      return breed[random.nextInt(breed.length)];
    }
    int n = training.size();
    long epoch = k / n;
    if (epoch != permutationEpoch) {
      List<Integer> order = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        order.add(i);
      }
      Collections.shuffle(order, new Random(mix(settings.seed() ^ 0x5eedL, epoch)));
      permutation = order.stream().mapToInt(Integer::intValue).toArray();
      permutationEpoch = epoch;
    }
    return permutation[(int) (k % n)];
  }

  /** The breed of a pair: its name without a trailing {@code _<digits>} (Oxford names: {@code Breed_Name_12}). */
  static String breedOf(String name) {
    return name.replaceFirst("_\\d+$", "");
  }

  private static int[][] groupByBreed(List<Example> examples) {
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < examples.size(); i++) {
      groups.computeIfAbsent(breedOf(examples.get(i).name()), b -> new ArrayList<>()).add(i);
    }
    return groups.values().stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
  }

  /** Distinct breeds among the training pairs. */
  public int breedCount() {
    return breeds.length;
  }

  private static long mix(long seed, long k) {
    long z = seed * 0x9E3779B97F4A7C15L + k;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
