package org.segstream.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.segstream.config.UsageException;
import org.segstream.eval.BoundaryF;
import org.segstream.eval.ConfusionMatrix;
import org.segstream.image.LabelMap;
import org.segstream.image.ProbabilityMap;
import org.segstream.model.Machine;
import org.segstream.model.ModelBenchmark;
import org.segstream.model.ModelMetadata;
import org.segstream.model.ModelOptions;
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
  private static final int PREDICT_BATCH = 8;
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private Trainer() {}

  public static TrainResult train(TrainOptions options, TrainingData data, ProgressListener progress) {
    Path out = options.out().toAbsolutePath().normalize();
    checkOutput(out);
    Path work = createWorkDir(out);
    try {
      int classes = data.classNames().size();
      List<Float> losses = new ArrayList<>();
      double imagesPerSecond;
      Duration trainingTime;
      int w = options.inputWidth();
      int h = options.inputHeight();
      try (TrainingGraph graph = new TrainingGraph(options.architecture(), classes, options.learningRate(),
          options.bnMomentum(), options.seed(), options.threads())) {
        long start = System.nanoTime();
        long firstStepEnd = 0;
        long budget = options.maxSeconds() > 0 ? (long) (options.maxSeconds() * 1e9) : Long.MAX_VALUE;
        for (int step = 1; step <= options.steps(); step++) {
          losses.add(graph.step(Batch.of(nextExamples(data, options))));
          long now = System.nanoTime();
          if (step == 1) {
            firstStepEnd = now;
          }
          long elapsed = now - start;
          double rate = step > 1 ? (step - 1) * options.batchSize() / ((now - firstStepEnd) / 1e9) : 0;
          boolean outOfTime = elapsed >= budget;
          int total = outOfTime ? step : options.steps();
          long perStep = elapsed / step;
          long remaining = Math.min((long) (options.steps() - step) * perStep, Math.max(0, budget - elapsed));
          progress.onStep(new TrainProgress(step, total, losses.get(losses.size() - 1), rate,
              Duration.ofNanos(elapsed), Duration.ofNanos(outOfTime ? 0 : remaining)));
          if (outOfTime) {
            break;
          }
        }
        trainingTime = Duration.ofNanos(System.nanoTime() - start);
        long steady = System.nanoTime() - firstStepEnd;
        imagesPerSecond = losses.size() > 1
            ? (losses.size() - 1) * options.batchSize() / (steady / 1e9)
            : options.batchSize() / (trainingTime.toNanos() / 1e9);
        if (options.calibrationBatches() > 0) {
          progress.onPhase("calibrating batch-norm statistics on " + options.calibrationBatches() + " batches");
          for (int k = 0; k < options.calibrationBatches(); k++) {
            graph.calibrate(Batch.of(nextExamples(data, options)), k);
          }
        }
        progress.onPhase("exporting the SavedModel");
        graph.save(work.resolve("checkpoint").resolve("ckpt"));
      }
      Path modelDir = work.resolve("model");
      ModelExporter.export(options.architecture(), classes, work.resolve("checkpoint").resolve("ckpt"), modelDir);

      int pairs = data.pairCount() > 0 ? data.pairCount() : losses.size() * options.batchSize();
      List<Example> validation = data.validation(w, h);
      ModelMetadata draft = new ModelMetadata(options.name(), options.version(), options.architecture().id(), h, w,
          data.classNames(), data.backgroundClass(), ModelMetadata.RGB01,
          UNet.parameterCount(options.architecture(), classes),
          UNet.macsPerFrame(options.architecture(), classes, w, h), 0, Machine.describe(),
          new ModelMetadata.TrainedOn(data.dataset(), pairs, data.splitSeed(),
              validation.stream().map(Example::name).toList()),
          null, options.command(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      draft.write(modelDir.resolve(ModelMetadata.FILE_NAME));

      ModelMetadata metadata;
      try (SegmentationModel model = SegmentationModel.load(modelDir, new ModelOptions(options.threads(), 1))) {
        progress.onPhase("validating on " + validation.size() + " held-out " + data.dataset() + " examples");
        ModelMetadata.Metrics metrics = score(model, validation, data.backgroundClass());
        progress.onPhase("measuring frames/s at batch " + PREDICT_BATCH);
        double fps = ModelBenchmark.measure(model, PREDICT_BATCH, options.benchSeconds(), 3).framesPerSecond();
        metadata = new ModelMetadata(draft.name(), draft.version(), draft.architecture(), h, w, draft.classNames(),
            draft.backgroundClass(), draft.preprocessing(), draft.parameters(), draft.macsPerFrame(), fps,
            draft.machine(), draft.trainedOn(), metrics, draft.command(), draft.createdAt());
      }
      metadata.write(modelDir.resolve(ModelMetadata.FILE_NAME));
      replace(modelDir, out);
      return new TrainResult(out, metadata, List.copyOf(losses), imagesPerSecond, trainingTime);
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

  private static List<Example> nextExamples(TrainingData data, TrainOptions options) {
    List<Example> examples = new ArrayList<>(options.batchSize());
    for (int i = 0; i < options.batchSize(); i++) {
      examples.add(data.next(options.inputWidth(), options.inputHeight()));
    }
    return examples;
  }

  /** Scores a loaded model on examples at its input size: the metadata's metrics. */
  public static ModelMetadata.Metrics score(SegmentationModel model, List<Example> examples, int backgroundClass) {
    int classes = model.metadata().classCount();
    ConfusionMatrix confusion = new ConfusionMatrix(classes);
    BoundaryF boundary = new BoundaryF(BOUNDARY_TOLERANCE_PX);
    for (int from = 0; from < examples.size(); from += PREDICT_BATCH) {
      List<Example> batch = examples.subList(from, Math.min(examples.size(), from + PREDICT_BATCH));
      List<ProbabilityMap> predicted = model.predict(batch.stream().map(Example::image).toList());
      for (int i = 0; i < batch.size(); i++) {
        LabelMap labels = predicted.get(i).argmax();
        confusion.add(batch.get(i).truth(), labels);
        boundary.add(batch.get(i).truth(), labels);
      }
    }
    List<Double> iou = new ArrayList<>();
    List<Double> dice = new ArrayList<>();
    for (int k = 0; k < classes; k++) {
      iou.add(confusion.iou(k));
      dice.add(confusion.dice(k));
    }
    return new ModelMetadata.Metrics(confusion.pixelAccuracy(), iou, confusion.meanIoU(), dice,
        confusion.foregroundIoU(backgroundClass), boundary.mean());
  }

  /** Refuses to overwrite anything but a model directory (or an empty one). */
  private static void checkOutput(Path out) {
    if (Files.isRegularFile(out)) {
      throw new UsageException("--out " + out + " is a file: give a directory for the model");
    }
    if (Files.isDirectory(out)) {
      boolean empty;
      try (Stream<Path> entries = Files.list(out)) {
        empty = entries.findAny().isEmpty();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + out + ": " + e.getMessage(), e);
      }
      if (!empty && !Files.isRegularFile(out.resolve(ModelMetadata.FILE_NAME))) {
        throw new UsageException("--out " + out + " is a non-empty directory without " + ModelMetadata.FILE_NAME
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
