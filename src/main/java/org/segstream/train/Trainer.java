package org.segstream.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.segstream.config.InvalidSettingException;
import org.segstream.dataset.Example;
import org.segstream.image.LabelMap;
import org.segstream.image.ProbabilityMap;
import org.segstream.metrics.BoundaryF;
import org.segstream.metrics.ConfusionMatrix;
import org.segstream.metrics.Scores;
import org.segstream.model.ModelMetadata;
import org.segstream.model.SegmentationModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a U-Net and writes a model directory of the model contract: train with Adam on the data's
 * stream, export the inference-only SavedModel, then load it back as the processor would and score
 * the validation set and the speed with that loaded model, so the metadata describes exactly what
 * gets served. The directory appears complete or not at all (written aside, then renamed).
 */
public final class Trainer {
  /** Boundary F tolerance written into the metadata's {@code boundaryF}. */
  public static final int BOUNDARY_TOLERANCE_PX = 2;
  static final int PREDICT_BATCH = 8;
  /** Marks a flip-averaging export in the metadata's architecture. */
  public static final String FLIP_SUFFIX = "+flip-average";
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private Trainer() {}

  public static TrainResult train(TrainSettings options, TrainingData data, ProgressListener progress) {
    Path out = options.out().toAbsolutePath().normalize();
    checkOutput(out);
    Path work = createWorkDir(out);
    try {
      TrainingRun run = new TrainingRun(options, data, progress);
      Path weights = work.resolve("checkpoint").resolve("ckpt");
      TrainingRun.Sitting sitting = run.trainAndSave(weights);
      Path modelDir = work.resolve("model");
      ModelMetadata metadata = run.exportAndVerify(weights, modelDir, sitting);
      replace(modelDir, out);
      return sitting.result(out, metadata);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the model to " + out + ": " + e.getMessage(), e);
    } finally {
      try {
        deleteRecursively(work);
      } catch (UncheckedIOException e) {
        // a leftover work directory must not hide the outcome of training
        LOG.warn("could not remove the work directory {}: {}", work, e.getMessage());
      }
    }
  }

  /**
   * Held-out scores of the training graph's inference branch, as the epoch lines show them; examples
   * of different sizes (aspect-true) go in batches of one size.
   */
  static ModelMetadata.Metrics validate(TrainingGraph graph, List<Example> examples, int classes,
      int backgroundClass) {
    ConfusionMatrix confusion = new ConfusionMatrix(classes);
    BoundaryF boundary = new BoundaryF(BOUNDARY_TOLERANCE_PX);
    for (List<Example> batch : batchesBySize(examples)) {
      Batch b = Batch.of(batch);
      float[] all = graph.infer(b);
      int per = b.height() * b.width() * classes;
      for (int i = 0; i < batch.size(); i++) {
        float[] one = java.util.Arrays.copyOfRange(all, i * per, (i + 1) * per);
        LabelMap labels = new ProbabilityMap(b.width(), b.height(), classes, one).argmax();
        confusion.add(batch.get(i).truth(), labels);
        boundary.add(batch.get(i).truth(), labels);
      }
    }
    return metrics(confusion, boundary, classes, backgroundClass);
  }

  private static ModelMetadata.Metrics metrics(ConfusionMatrix confusion, BoundaryF boundary, int classes,
      int backgroundClass) {
    List<Double> iou = new ArrayList<>();
    List<Double> dice = new ArrayList<>();
    for (int k = 0; k < classes; k++) {
      iou.add(confusion.iou(k));
      dice.add(confusion.dice(k));
    }
    return new ModelMetadata.Metrics(confusion.pixelAccuracy(), iou, confusion.meanIoU(), dice,
        confusion.foregroundIoU(backgroundClass), boundary.mean());
  }

  /** The metadata's metrics from the scores of {@code eval}'s definition, in the order of the scored classes. */
  static ModelMetadata.Metrics metrics(Scores scores, List<String> scoredClasses) {
    List<Double> iou = new ArrayList<>();
    List<Double> dice = new ArrayList<>();
    for (String name : scoredClasses) {
      iou.add(scores.perClassIoU().getOrDefault(name, Double.NaN));
      dice.add(scores.dice().getOrDefault(name, Double.NaN));
    }
    return new ModelMetadata.Metrics(scores.pixelAccuracy(), iou, scores.meanIoU(), dice, scores.foregroundIoU(),
        scores.boundaryF());
  }

  /** Scores a loaded model on examples at its input size: the metadata's metrics for generated data. */
  /**
   * Batches of at most {@link #PREDICT_BATCH} examples of one size, the sizes in order of first
   * appearance: the scores are sums over the whole set, so the order does not change them.
   */
  static List<List<Example>> batchesBySize(List<Example> examples) {
    Map<List<Integer>, List<Example>> bySize = new LinkedHashMap<>();
    for (Example e : examples) {
      bySize.computeIfAbsent(List.of(e.image().width(), e.image().height()), s -> new ArrayList<>()).add(e);
    }
    List<List<Example>> batches = new ArrayList<>();
    for (List<Example> group : bySize.values()) {
      for (int from = 0; from < group.size(); from += PREDICT_BATCH) {
        batches.add(group.subList(from, Math.min(group.size(), from + PREDICT_BATCH)));
      }
    }
    return batches;
  }

  /** Scores a loaded model on examples at their input sizes: the metadata's metrics. */
  public static ModelMetadata.Metrics score(SegmentationModel model, List<Example> examples, int backgroundClass) {
    int classes = model.metadata().classCount();
    ConfusionMatrix confusion = new ConfusionMatrix(classes);
    BoundaryF boundary = new BoundaryF(BOUNDARY_TOLERANCE_PX);
    for (List<Example> batch : batchesBySize(examples)) {
      List<ProbabilityMap> predicted = model.predict(batch.stream().map(Example::image).toList());
      for (int i = 0; i < batch.size(); i++) {
        LabelMap labels = predicted.get(i).argmax();
        confusion.add(batch.get(i).truth(), labels);
        boundary.add(batch.get(i).truth(), labels);
      }
    }
    return metrics(confusion, boundary, classes, backgroundClass);
  }

  /** Refuses to overwrite anything but a model directory (or an empty one). */
  private static void checkOutput(Path out) {
    if (Files.isRegularFile(out)) {
      throw new InvalidSettingException("out", "the model's output " + out + " is a file: give a directory for the model");
    }
    if (Files.isDirectory(out)) {
      boolean empty;
      try (Stream<Path> entries = Files.list(out)) {
        empty = entries.findAny().isEmpty();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + out + ": " + e.getMessage(), e);
      }
      if (!empty && !Files.isRegularFile(out.resolve(ModelMetadata.FILE_NAME))) {
        throw new InvalidSettingException("out", "the model's output " + out + " is a non-empty directory without " + ModelMetadata.FILE_NAME
            + ": choose a new directory (an existing model directory is replaced)");
      }
    }
  }

  private static Path createWorkDir(Path out) {
    try {
      Path parent = out.getParent();
      Files.createDirectories(parent);
      return Files.createTempDirectory(parent, "." + out.getFileName() + ".training-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a work directory beside " + out + ": " + e.getMessage(), e);
    }
  }

  private static void replace(Path modelDir, Path out) throws IOException {
    if (Files.exists(out)) {
      deleteRecursively(out);
    }
    Files.move(modelDir, out, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }
}
