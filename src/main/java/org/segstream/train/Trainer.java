package org.segstream.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.segstream.config.InvalidSettingException;
import org.segstream.dataset.Example;
import org.segstream.image.LabelMap;
import org.segstream.image.ProbabilityMap;
import org.segstream.metrics.BoundaryF;
import org.segstream.metrics.ConfusionMatrix;
import org.segstream.model.Machine;
import org.segstream.model.ModelBenchmark;
import org.segstream.model.ModelMetadata;
import org.segstream.model.ModelSettings;
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
  /** Marks a flip-averaging export in the metadata's architecture. */
  public static final String FLIP_SUFFIX = "+flip-average";
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private Trainer() {}

  public static TrainResult train(TrainSettings options, TrainingData data, ProgressListener progress) {
    Path out = options.out().toAbsolutePath().normalize();
    checkOutput(out);
    Path work = createWorkDir(out);
    try {
      int classes = data.classNames().size();
      int w = options.inputWidth();
      int h = options.inputHeight();
      int batchSize = options.batchSize();
      if (options.epochs() > 0 && data.pairCount() == 0) {
        throw new InvalidSettingException("epochs", "training by epochs needs a dataset of known size; " + data.dataset()
            + " is endless: count steps instead");
      }
      int stepsPerEpoch = data.pairCount() > 0 ? Math.max(1, (data.pairCount() + batchSize - 1) / batchSize)
          : options.steps();
      int totalSteps = options.epochs() > 0 ? options.epochs() * stepsPerEpoch : options.steps();
      int epochs = (totalSteps + stepsPerEpoch - 1) / stepsPerEpoch;
      List<Example> validation = data.validation(w, h);
      List<Float> losses = new ArrayList<>();
      List<Float> rates = new ArrayList<>();
      Checkpoints checkpoints = options.checkpointDir() == null ? null
          : new Checkpoints(options.checkpointDir().toAbsolutePath().normalize());
      Checkpoints.State shape = new Checkpoints.State(0, 0, options.architecture().id(), w, h, classes, batchSize,
          data.dataset());
      double imagesPerSecond;
      double dataWaitShare;
      Duration trainingTime;
      int firstStep;
      try (TrainingGraph graph = new TrainingGraph(options.architecture(), classes, options.loss(),
          options.bnMomentum(), options.seed(), options.threads())) {
        Checkpoints.State state = shape;
        if (options.resume()) {
          state = checkpoints.restoreLatest(graph, shape);
          progress.onPhase(String.format("resumed from %s at step %d (%.0f s of training)", checkpoints.dir(),
              state.step(), state.seconds()));
        }
        firstStep = state.step() + 1;
        data.skipTo((long) state.step() * batchSize);
        double secondsBefore = state.seconds();
        double budget = options.maxSeconds();
        int step = state.step();
        long waitNanos = 0;
        long loopStart = System.nanoTime();
        long firstStepEnd = 0;
        double epochLoss = 0;
        int epochSteps = 0;
        try (BatchFeeder feeder = new BatchFeeder(data, batchSize, w, h, totalSteps - step)) {
          while (step < totalSteps && !(budget > 0 && secondsBefore >= budget)) {
            double seconds = secondsBefore + (System.nanoTime() - loopStart) / 1e9;
            double done = Math.max((double) step / totalSteps, budget > 0 ? seconds / budget : 0);
            float rate = options.schedule().rate(options.learningRate(), done);
            long waitStart = System.nanoTime();
            Batch batch = feeder.take();
            waitNanos += System.nanoTime() - waitStart;
            float loss = graph.step(batch, rate, step + 1);
            step++;
            losses.add(loss);
            rates.add(rate);
            epochLoss += loss;
            epochSteps++;
            long now = System.nanoTime();
            if (step == firstStep) {
              firstStepEnd = now;
            }
            long elapsed = now - loopStart;
            double spent = secondsBefore + elapsed / 1e9;
            boolean outOfTime = budget > 0 && spent >= budget;
            int sittingSteps = step - firstStep + 1;
            double rateNow = sittingSteps > 1 ? (sittingSteps - 1) * batchSize / ((now - firstStepEnd) / 1e9) : 0;
            double wait = (double) waitNanos / Math.max(1, elapsed);
            long perStep = elapsed / sittingSteps;
            long remaining = Math.min((long) (totalSteps - step) * perStep,
                budget > 0 ? (long) (Math.max(0, budget - spent) * 1e9) : Long.MAX_VALUE);
            int epoch = (step - 1) / stepsPerEpoch + 1;
            progress.onStep(new TrainProgress(step, outOfTime ? step : totalSteps, epoch, epochs,
                (step - 1) % stepsPerEpoch + 1, stepsPerEpoch, loss, rate, rateNow, wait,
                Duration.ofNanos((long) (spent * 1e9)), Duration.ofNanos(outOfTime ? 0 : remaining)));
            boolean epochEnd = step % stepsPerEpoch == 0 || step == totalSteps;
            if (epochEnd || outOfTime) {
              ModelMetadata.Metrics metrics = validate(graph, validation, classes, data.backgroundClass());
              progress.onEpoch(new EpochSummary(epoch, epochs, step, epochLoss / epochSteps, rate, rateNow, wait,
                  metrics, validation.size()));
              epochLoss = 0;
              epochSteps = 0;
            }
            boolean due = (epochEnd && (epoch % options.checkpointEvery() == 0 || step == totalSteps)) || outOfTime;
            if (checkpoints != null && due) {
              double at = secondsBefore + (System.nanoTime() - loopStart) / 1e9;
              checkpoints.save(graph, new Checkpoints.State(step, at, shape.architecture(), w, h, classes, batchSize,
                  data.dataset()));
            }
            if (outOfTime) {
              break;
            }
          }
        }
        long loopEnd = System.nanoTime();
        trainingTime = Duration.ofNanos((long) ((secondsBefore + (loopEnd - loopStart) / 1e9) * 1e9));
        int sittingSteps = step - firstStep + 1;
        imagesPerSecond = sittingSteps > 1
            ? (sittingSteps - 1) * batchSize / ((loopEnd - firstStepEnd) / 1e9)
            : sittingSteps * batchSize / Math.max(1e-9, (loopEnd - loopStart) / 1e9);
        dataWaitShare = (double) waitNanos / Math.max(1, loopEnd - loopStart);
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
      ModelExporter.export(options.architecture(), classes, work.resolve("checkpoint").resolve("ckpt"), modelDir,
          options.flipAverage());

      int pairs = data.pairCount() > 0 ? data.pairCount() : losses.size() * options.batchSize();
      ModelMetadata draft = new ModelMetadata(options.name(), options.version(), options.architecture().id() + (options.flipAverage() ? FLIP_SUFFIX : ""), h, w,
          data.classNames(), data.backgroundClass(), ModelMetadata.RGB01,
          UNet.parameterCount(options.architecture(), classes),
          UNet.macsPerFrame(options.architecture(), classes, w, h) * (options.flipAverage() ? 2 : 1), 0,
          Machine.describe(),
          new ModelMetadata.TrainedOn(data.dataset(), pairs, data.splitSeed(),
              validation.stream().map(Example::name).toList()),
          null, options.command(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      draft.write(modelDir.resolve(ModelMetadata.FILE_NAME));

      ModelMetadata metadata;
      try (SegmentationModel model = SegmentationModel.load(modelDir, new ModelSettings(options.threads(), 1))) {
        progress.onPhase("validating on " + validation.size() + " held-out " + data.dataset() + " examples");
        ModelMetadata.Metrics metrics = score(model, validation, data.backgroundClass());
        progress.onPhase("measuring frames/s at batch " + PREDICT_BATCH);
        double fps = ModelBenchmark.measure(model, PREDICT_BATCH, options.benchSeconds(), 3).framesPerSecond();
        metadata = new ModelMetadata(draft.name(), draft.version(), draft.architecture(), h, w, draft.classNames(),
            draft.backgroundClass(), draft.preprocessing(), draft.parameters(), draft.macsPerFrame(), fps,
            draft.machine(), draft.trainedOn(), metrics, draft.command(), draft.createdAt());
      }
      metadata.write(modelDir.resolve(ModelMetadata.FILE_NAME));
      writeTrainingRecord(modelDir.resolve(ModelMetadata.FILE_NAME), options, firstStep + losses.size() - 1,
          stepsPerEpoch, trainingTime, imagesPerSecond, dataWaitShare);
      replace(modelDir, out);
      return new TrainResult(out, metadata, firstStep, losses, rates, imagesPerSecond, dataWaitShare, trainingTime);
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

  private static List<Example> nextExamples(TrainingData data, TrainSettings options) {
    List<Example> examples = new ArrayList<>(options.batchSize());
    for (int i = 0; i < options.batchSize(); i++) {
      examples.add(data.next(options.inputWidth(), options.inputHeight()));
    }
    return examples;
  }

  /**
   * Adds a {@code training} object to the metadata file (readers ignore fields they do not know):
   * how long and how fast training ran, so the wall time travels with the model.
   */
  private static void writeTrainingRecord(Path file, TrainSettings options, int steps, int stepsPerEpoch,
      Duration trainingTime, double imagesPerSecond, double dataWaitShare) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = (ObjectNode) mapper.readTree(file.toFile());
    ObjectNode training = root.putObject("training");
    training.put("steps", steps);
    training.put("epochs", (double) steps / stepsPerEpoch);
    training.put("batchSize", options.batchSize());
    training.put("learningRate", options.learningRate());
    training.put("schedule", options.schedule().id());
    training.put("loss", options.loss().id());
    training.put("seed", options.seed());
    training.put("wallSeconds", Math.round(trainingTime.toMillis() / 100.0) / 10.0);
    if (imagesPerSecond > 0) {
      // a sitting that only re-exports (time budget already spent) measured no throughput
      training.put("imagesPerSecond", Math.round(imagesPerSecond * 10) / 10.0);
      training.put("dataWaitShare", Math.round(dataWaitShare * 10000) / 10000.0);
    }
    mapper.writeValue(file.toFile(), root);
  }

  /** Held-out scores of the training graph's inference branch, as the epoch lines show them. */
  private static ModelMetadata.Metrics validate(TrainingGraph graph, List<Example> examples, int classes,
      int backgroundClass) {
    ConfusionMatrix confusion = new ConfusionMatrix(classes);
    BoundaryF boundary = new BoundaryF(BOUNDARY_TOLERANCE_PX);
    for (int from = 0; from < examples.size(); from += PREDICT_BATCH) {
      List<Example> batch = examples.subList(from, Math.min(examples.size(), from + PREDICT_BATCH));
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
