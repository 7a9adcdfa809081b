package org.segstream.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import org.segstream.dataset.PairLayout;
import org.segstream.model.ModelMetadata;

/**
 * The {@code train} command's work: load the data (a dataset folder, or synthetic scenes), name the
 * model after it, train with progress on a writer, and sum the outcome up. Log lines (loading, the
 * pairs skipped, progress) go to the log writer; {@link Outcome#printSummary} writes the result.
 */
public final class TrainingJob {
  private TrainingJob() {}

  /** What to train on. */
  public sealed interface Source {}

  /** A dataset folder (Oxford-IIIT Pet, or images/ + masks/ + classes.txt), read with these settings. */
  public record Folder(Path root, FolderData.Settings settings) implements Source {}

  /** Endless synthetic scenes from {@code seed}, {@code validationCount} of them held out. */
  public record Synthetic(long seed, int validationCount) implements Source {}

  /** A finished job: the training result, its settings and how many dataset pairs were skipped. */
  public record Outcome(TrainResult result, TrainSettings settings, int skipped) {
    /** The model directory, the training run, the validation scores and the size and speed: three lines. */
    public void printSummary(PrintWriter out) {
      ModelMetadata m = result.metadata();
      List<Float> losses = result.losses();
      out.printf("model      %s%n", result.modelDir());
      out.printf(Locale.ROOT, "trained    steps %d-%d x %d images at %dx%d, %.1f s in all; %.1f images/s, data wait "
              + "%.1f%%; loss %.4f -> %.4f%n",
          result.firstStep(), result.lastStep(), settings.batchSize(), m.inputWidth(), m.inputHeight(),
          result.trainingTime().toMillis() / 1000.0, result.imagesPerSecond(), 100 * result.dataWaitShare(),
          losses.isEmpty() ? Float.NaN : losses.get(0), losses.isEmpty() ? Float.NaN : losses.get(losses.size() - 1));
      ModelMetadata.Metrics s = m.metrics();
      StringBuilder perClass = new StringBuilder();
      for (int k = 0; k < m.classNames().size(); k++) {
        perClass.append(String.format(Locale.ROOT, " %s %.4f", m.classNames().get(k), s.perClassIoU().get(k)));
      }
      out.printf(Locale.ROOT, "validation pixel accuracy %.4f, mIoU %.4f, foreground IoU %.4f, boundary F %.4f, IoU:%s "
              + "(%d pairs%s)%n",
          s.pixelAccuracy(), s.mIoU(), s.foregroundIoU(), s.boundaryF(), perClass,
          m.trainedOn().validationNames().size(), skipped == 0 ? "" : ", " + skipped + " skipped");
      out.printf(Locale.ROOT, "size       %,d parameters, %,d multiply-adds per frame, %.1f frames/s at batch 8%n",
          m.parameters(), m.macsPerFrame(), m.framesPerSecond());
    }
  }

  /**
   * Loads the source, trains and writes the model.
   *
   * @param settings the training settings; without a name the model is called {@code <dataset>-<architecture>}
   * @param log where loading lines and the progress go
   * @param redraw redraw one progress line (a terminal) rather than print a line per update (a log file)
   */
  public static Outcome run(Source source, TrainSettings.Builder settings, PrintWriter log, boolean redraw) {
    TrainingData data;
    int skipped = 0;
    if (source instanceof Folder folder) {
      FolderData loaded = load(folder, log);
      skipped = loaded.skipped().size();
      settings.defaultNameFor(loaded.dataset());
      data = loaded;
    } else {
      Synthetic synthetic = (Synthetic) source;
      data = new SyntheticData(synthetic.seed(), synthetic.validationCount());
    }
    TrainSettings options = settings.build();
    ProgressListener progress = new LearningCurve(new ProgressPrinter(log, data.classNames(), redraw),
        options.checkpointDir(), data.classNames(), options.resume());
    TrainResult result = Trainer.train(options, data, progress);
    copyLearningCurve(options, result.modelDir());
    return new Outcome(result, options, skipped);
  }

  /** The curve kept beside the checkpoints, into the model directory. */
  private static void copyLearningCurve(TrainSettings options, Path modelDir) {
    if (options.checkpointDir() == null) {
      return;
    }
    Path curve = options.checkpointDir().resolve(LearningCurve.FILE_NAME);
    if (Files.isRegularFile(curve)) {
      try {
        Files.copy(curve, modelDir.resolve(LearningCurve.FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot copy the learning curve into " + modelDir + ": " + e.getMessage(), e);
      }
    }
  }

  /** Reads the folder's pairs, logging how many loaded and why any were skipped. */
  private static FolderData load(Folder folder, PrintWriter log) {
    FolderData.Settings s = folder.settings();
    PairLayout layout = PairLayout.open(folder.root()).requireClasses();
    log.printf("loading %s (%s) at %s%n", layout.root(), layout.dataset(), s.inputLongSide() > 0
        ? "long side " + s.inputLongSide() + ", aspect kept" : s.width() + "x" + s.height());
    if (s.augment()) {
      log.printf("augmentations %s%s%n", s.augmentations().id(),
          s.backgrounds().isEmpty() ? "" : ", backgrounds " + s.backgrounds());
    }
    log.flush();
    long t0 = System.nanoTime();
    FolderData loaded = FolderData.load(layout, s);
    log.printf("loaded %d training and %d validation pairs (%d breeds) in %.1f s; skipped %d%n",
        loaded.pairCount(), loaded.validationCount(), loaded.breedCount(),
        (System.nanoTime() - t0) / 1e9, loaded.skipped().size());
    for (FolderData.Skipped skip : loaded.skipped()) {
      log.printf("  skipped %s: %s%n", skip.name(), skip.reason());
    }
    return loaded;
  }
}
