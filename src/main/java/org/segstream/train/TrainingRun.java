package org.segstream.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.segstream.config.InvalidSettingException;
import org.segstream.dataset.Example;
import org.segstream.dataset.GroundTruthFormat;
import org.segstream.dataset.Pair;
import org.segstream.metrics.Scores;
import org.segstream.model.InputGeometry;
import org.segstream.model.Machine;
import org.segstream.model.ModelBenchmark;
import org.segstream.model.ModelMetadata;
import org.segstream.model.ModelSettings;
import org.segstream.model.SegmentationModel;
import org.segstream.scoring.PairScorer;
import org.segstream.segment.Refinement;
import org.segstream.segment.SegmenterSettings;

/**
 * One call of {@link Trainer#train}: the step counts and sizes that follow from the settings and the
 * data, then the phases in order: {@link #trainAndSave} (resume, the step loop with its epoch lines and
 * checkpoints, batch-norm calibration, the weights saved) and {@link #exportAndVerify} (the SavedModel,
 * its metadata, and the scores and speed of the exported model loaded back).
 */
final class TrainingRun {
  private final TrainSettings options;
  private final TrainingData data;
  private final ProgressListener progress;
  private final int classes;
  private final int width;
  private final int height;
  private final int batchSize;
  private final TrainGeometry geometry;
  private final int stepsPerEpoch;
  private final int totalSteps;
  private final int epochs;
  private final List<Example> validation;
  private final Checkpoints checkpoints; // null: no checkpoints
  private final Checkpoints.State shape;

  TrainingRun(TrainSettings options, TrainingData data, ProgressListener progress) {
    this.options = options;
    this.data = data;
    this.progress = progress;
    classes = data.classNames().size();
    width = options.inputWidth();
    height = options.inputHeight();
    batchSize = options.batchSize();
    if (options.epochs() > 0 && data.pairCount() == 0) {
      throw new InvalidSettingException("epochs", "training by epochs needs a dataset of known size; " + data.dataset()
          + " is endless: count steps instead");
    }
    stepsPerEpoch = data.pairCount() > 0 ? Math.max(1, (data.pairCount() + batchSize - 1) / batchSize)
        : options.steps();
    totalSteps = options.epochs() > 0 ? options.epochs() * stepsPerEpoch : options.steps();
    epochs = (totalSteps + stepsPerEpoch - 1) / stepsPerEpoch;
    geometry = TrainGeometry.of(options);
    validation = data.validation(geometry.inputGeometry());
    checkpoints = options.checkpointDir() == null ? null
        : new Checkpoints(options.checkpointDir().toAbsolutePath().normalize());
    shape = new Checkpoints.State(0, 0, options.architecture().id(), width, height, classes, batchSize,
        data.dataset(), geometry.inputGeometry().describe());
  }

  /** What one sitting of training did: its steps' losses and rates, and how long and fast it ran. */
  record Sitting(int firstStep, List<Float> losses, List<Float> rates, Duration trainingTime, double imagesPerSecond,
      double dataWaitShare) {
    int lastStep() {
      return firstStep + losses.size() - 1;
    }

    TrainResult result(Path modelDir, ModelMetadata metadata) {
      return new TrainResult(modelDir, metadata, firstStep, losses, rates, imagesPerSecond, dataWaitShare,
          trainingTime);
    }
  }

  /**
   * Trains from scratch or from the newest checkpoint, re-averages the batch-norm statistics and saves
   * the weights under {@code weights} (a checkpoint prefix).
   */
  Sitting trainAndSave(Path weights) {
    try (TrainingGraph graph = new TrainingGraph(options.architecture(), classes, options.loss(),
        options.bnMomentum(), options.seed(), options.threads(), pretrainedWeights())) {
      Checkpoints.State state = shape;
      if (options.resume()) {
        state = checkpoints.restoreLatest(graph, shape);
        progress.onPhase(String.format("resumed from %s at step %d (%.0f s of training)", checkpoints.dir(),
            state.step(), state.seconds()));
      }
      data.skipTo((long) state.step() * batchSize);
      Sitting sitting = stepLoop(graph, state);
      calibrate(graph);
      progress.onPhase("exporting the SavedModel");
      graph.save(weights);
      return sitting;
    }
  }

  /** The encoder's starting weights: the folder given, or the jar's; null for architectures without one. */
  private PretrainedWeights pretrainedWeights() {
    if (!options.architecture().mobileNetV2()) {
      return null;
    }
    return options.pretrained() != null ? PretrainedWeights.fromDirectory(options.pretrained())
        : PretrainedWeights.bundledMobileNetV2();
  }

  /** The optimiser steps of this sitting, until the step count or the time budget is reached. */
  private Sitting stepLoop(TrainingGraph graph, Checkpoints.State state) {
    LoopClock clock = new LoopClock(state.seconds(), options.maxSeconds(), state.step() + 1, batchSize);
    int step = state.step();
    List<Float> losses = new ArrayList<>();
    List<Float> rates = new ArrayList<>();
    double epochLoss = 0;
    int epochSteps = 0;
    try (BatchFeeder feeder = new BatchFeeder(data, batchSize, geometry, step, totalSteps - step)) {
      while (step < totalSteps && !clock.budgetSpentBefore()) {
        double done = Math.max((double) step / totalSteps, clock.budgetShare());
        float rate = options.schedule().rate(options.learningRate(), done);
        Batch batch = clock.take(feeder);
        float loss = graph.step(batch, rate, step + 1, done < options.encoderFrozenShare());
        step++;
        losses.add(loss);
        rates.add(rate);
        epochLoss += loss;
        epochSteps++;
        LoopClock.StepTiming timing = clock.stepDone(step, totalSteps);
        int epoch = (step - 1) / stepsPerEpoch + 1;
        progress.onStep(new TrainProgress(step, timing.outOfTime() ? step : totalSteps, epoch, epochs,
            (step - 1) % stepsPerEpoch + 1, stepsPerEpoch, loss, rate, timing.imagesPerSecond(),
            timing.dataWaitShare(), timing.elapsed(), timing.remaining()));
        boolean epochEnd = step % stepsPerEpoch == 0 || step == totalSteps;
        if (epochEnd || timing.outOfTime()) {
          ModelMetadata.Metrics metrics = Trainer.validate(graph, validation, classes, data.backgroundClass());
          progress.onEpoch(new EpochSummary(epoch, epochs, step, epochLoss / epochSteps, rate,
              timing.imagesPerSecond(), timing.dataWaitShare(), metrics, validation.size()));
          epochLoss = 0;
          epochSteps = 0;
        }
        boolean due = (epochEnd && (epoch % options.checkpointEvery() == 0 || step == totalSteps))
            || timing.outOfTime();
        if (checkpoints != null && due) {
          checkpoints.save(graph, new Checkpoints.State(step, clock.secondsSoFar(), shape.architecture(), width,
              height, classes, batchSize, data.dataset(), shape.inputRule()));
        }
        if (timing.outOfTime()) {
          break;
        }
      }
    }
    return clock.sitting(step, losses, rates);
  }

  /** Re-averages the batch-norm statistics over fresh batches, the weights fixed. */
  private void calibrate(TrainingGraph graph) {
    if (options.calibrationBatches() <= 0) {
      return;
    }
    progress.onPhase("calibrating batch-norm statistics on " + options.calibrationBatches() + " batches");
    for (int k = 0; k < options.calibrationBatches(); k++) {
      // the calibration batches continue the steps' sizes, so the statistics see every geometry
      InputGeometry.Size size = geometry.sizeOfStep((long) totalSteps + k);
      List<Example> examples = new ArrayList<>(batchSize);
      for (int i = 0; i < batchSize; i++) {
        examples.add(data.next(size.width(), size.height()));
      }
      graph.calibrate(Batch.of(examples), k);
    }
  }

  /**
   * Exports the inference SavedModel from the saved weights into {@code modelDir}, then loads it as the
   * processor would to score the validation set and measure frames/s: the metadata written describes
   * the model served.
   */
  ModelMetadata exportAndVerify(Path weights, Path modelDir, Sitting sitting) throws IOException {
    ModelExporter.export(options.architecture(), classes, weights, modelDir, options.flipAverage());
    ModelMetadata draft = draftMetadata(sitting);
    Path file = modelDir.resolve(ModelMetadata.FILE_NAME);
    draft.write(file);
    ModelMetadata metadata = scoreAndMeasure(modelDir, draft);
    metadata.write(file);
    writeTrainingRecord(file, sitting);
    return metadata;
  }

  /** The metadata known before the exported model is loaded: no scores, no speed. */
  private ModelMetadata draftMetadata(Sitting sitting) {
    int pairs = data.pairCount() > 0 ? data.pairCount() : sitting.losses().size() * options.batchSize();
    return new ModelMetadata(options.name(), options.version(),
        options.architecture().id() + (options.flipAverage() ? Trainer.FLIP_SUFFIX : ""), height, width,
        data.classNames(), data.backgroundClass(), ModelMetadata.RGB01,
        UNet.parameterCount(options.architecture(), classes),
        UNet.macsPerFrame(options.architecture(), classes, width, height) * (options.flipAverage() ? 2 : 1), 0,
        Machine.describe(),
        new ModelMetadata.TrainedOn(data.dataset(), pairs, data.splitSeed(),
            validation.stream().map(Example::name).toList()),
        null, options.command(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
        geometry.aspectTrueInput());
  }

  /** The draft completed with the loaded model's validation scores and frames/s. */
  private ModelMetadata scoreAndMeasure(Path modelDir, ModelMetadata draft) {
    try (SegmentationModel model = SegmentationModel.load(modelDir, new ModelSettings(options.threads(), 1))) {
      ModelMetadata.Metrics metrics = score(model);
      progress.onPhase("measuring frames/s at batch " + Trainer.PREDICT_BATCH);
      double fps = ModelBenchmark.measure(model, Trainer.PREDICT_BATCH, options.benchSeconds(), 3).framesPerSecond();
      return new ModelMetadata(draft.name(), draft.version(), draft.architecture(), height, width,
          draft.classNames(), draft.backgroundClass(), draft.preprocessing(), draft.parameters(),
          draft.macsPerFrame(), fps, draft.machine(), draft.trainedOn(), metrics, draft.command(),
          draft.createdAt(), draft.aspectTrueInput());
    }
  }

  /**
   * The held-out pairs scored as {@code eval} scores them (at their own resolution, through the compute
   * core with the scoring settings); generated data, which has no files, at the input size.
   */
  private ModelMetadata.Metrics score(SegmentationModel model) {
    List<Pair> pairs = data.validationPairs();
    if (pairs.isEmpty()) {
      progress.onPhase("validating on " + validation.size() + " held-out " + data.dataset() + " examples");
      return Trainer.score(model, validation, data.backgroundClass());
    }
    SegmenterSettings settings = options.scoring() != null ? options.scoring() : ScoringDefaults.UNREFINED;
    progress.onPhase("scoring " + pairs.size() + " held-out " + data.dataset() + " pairs at their own resolution"
        + (settings.refinement() instanceof Refinement.Off ? "" : ", refined as the processor refines"));
    GroundTruthFormat format = data.maskFormat();
    Scores scores = PairScorer.evaluate(model, settings, Trainer.PREDICT_BATCH, pairs, format,
        Trainer.BOUNDARY_TOLERANCE_PX, Set.of(), done -> { }).scores();
    return Trainer.metrics(scores, format.scoredClasses(model.metadata().classNames()));
  }

  /**
   * Adds a {@code training} object to the metadata file (readers ignore fields they do not know):
   * how long and how fast training ran, so the wall time travels with the model.
   */
  private void writeTrainingRecord(Path file, Sitting sitting) throws IOException {
    int steps = sitting.lastStep();
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
    training.put("wallSeconds", Math.round(sitting.trainingTime().toMillis() / 100.0) / 10.0);
    if (sitting.imagesPerSecond() > 0) {
      // a sitting that only re-exports (time budget already spent) measured no throughput
      training.put("imagesPerSecond", Math.round(sitting.imagesPerSecond() * 10) / 10.0);
      training.put("dataWaitShare", Math.round(sitting.dataWaitShare() * 10000) / 10000.0);
    }
    mapper.writeValue(file.toFile(), root);
  }
}
