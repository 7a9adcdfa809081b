package org.segstream.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The learning curve of a model: one CSV row per epoch (step, epoch, mean training loss, the held-out
 * mIoU and per-class IoU at the input size), appended beside the checkpoints so a run resumed over
 * several sittings keeps one curve, and copied into the model directory at the end.
 */
public final class LearningCurve implements ProgressListener {
  public static final String FILE_NAME = "learning-curve.csv";

  private final ProgressListener inner;
  private final Path file;
  private final List<String> classNames;

  /**
   * @param dir the checkpoint directory (null: no curve is kept)
   * @param resume continue the curve there; otherwise a curve left by an earlier run is started afresh
   */
  LearningCurve(ProgressListener inner, Path dir, List<String> classNames, boolean resume) {
    this.inner = inner;
    this.file = dir == null ? null : dir.resolve(FILE_NAME);
    this.classNames = List.copyOf(classNames);
    if (file != null && !resume) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the learning curve " + file + " afresh: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void onStep(TrainProgress progress) {
    inner.onStep(progress);
  }

  @Override
  public void onPhase(String description) {
    inner.onPhase(description);
  }

  @Override
  public void onEpoch(EpochSummary s) {
    inner.onEpoch(s);
    if (file == null) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      List<String> lines = new ArrayList<>();
      if (!Files.exists(file)) {
        StringBuilder header = new StringBuilder("step,epoch,train_loss,val_miou");
        classNames.forEach(c -> header.append(",val_iou_").append(c));
        lines.add(header.toString());
      }
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%d,%d,%.5f,%.5f", s.step(), s.epoch(),
          s.meanLoss(), s.validation().mIoU()));
      s.validation().perClassIoU().forEach(v -> row.append(String.format(Locale.ROOT, ",%.5f", v)));
      lines.add(row.toString());
      Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the learning curve " + file + ": " + e.getMessage(), e);
    }
  }

  /** A curve as read back: its column names, and one row of numbers per epoch, in step order. */
  public record Rows(List<String> columns, List<double[]> rows) {}

  /**
   * Reads a curve: a resumed sitting that repeats steps (it restarted from an earlier checkpoint) replaces the rows
   * it repeats.
   */
  public static Rows read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      return new Rows(List.of(), List.of());
    }
    List<double[]> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",");
      double[] row = new double[cells.length];
      for (int i = 0; i < cells.length; i++) {
        row[i] = Double.parseDouble(cells[i]);
      }
      rows.removeIf(r -> r[0] >= row[0]);
      rows.add(row);
    }
    return new Rows(List.of(lines.get(0).split(",")), rows);
  }
}
