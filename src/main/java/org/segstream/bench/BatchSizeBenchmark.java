package org.segstream.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.segstream.config.InvalidSettingException;
import org.segstream.model.InputGeometry;
import org.segstream.model.Machine;
import org.segstream.model.ModelBenchmark;
import org.segstream.model.ModelMetadata;
import org.segstream.model.ModelSettings;
import org.segstream.model.SegmentationModel;

/** Frames/s of one model's session calls at several batch sizes, at the input size of a frame size. */
public final class BatchSizeBenchmark {
  private BatchSizeBenchmark() {}

  /** The frame size measured when none is given: a 16:9 camera frame. */
  public static final InputGeometry.Size DEFAULT_FRAME = new InputGeometry.Size(640, 360);

  /**
   * @param seconds measuring time per batch size, after one warm-up call
   * @param frame the frame size whose input size (by the model's {@link InputGeometry}) the model runs at
   */
  public record Request(Path model, List<Integer> batches, double seconds, ModelSettings options, InputGeometry.Size frame) {
    public Request(Path model, List<Integer> batches, double seconds, ModelSettings options) {
      this(model, batches, seconds, options, DEFAULT_FRAME);
    }

    public Request {
      batches = List.copyOf(batches);
      if (!(seconds > 0)) {
        throw new InvalidSettingException("seconds", "the measuring time per batch size must be positive, got " + seconds);
      }
      for (int b : batches) {
        if (b < 1) {
          throw new InvalidSettingException("batches", "batch sizes must be positive, got " + b);
        }
      }
    }
  }

  /** One batch size's throughput, as {@link ModelBenchmark} measured it. */
  public record Row(int batch, ModelBenchmark.Throughput throughput) {}

  /** Loads the model, prints what it is, then one row per batch size as each is measured. */
  public static List<Row> run(Request request, PrintWriter out) {
    ModelSettings threads = request.options();
    try (SegmentationModel loaded = SegmentationModel.load(request.model(), threads)) {
      ModelMetadata m = loaded.metadata();
      InputGeometry.Size input = InputGeometry.of(m).sizeFor(request.frame().width(), request.frame().height());
      out.printf("model     %s %s (%s), input %s, %s%n", m.name(), m.version(), m.architecture(),
          InputGeometry.of(m).describe(), loaded.directory());
      out.printf("frame     %s, fed at %s%n", request.frame(), input);
      // a fully convolutional model's work grows with the pixels: the metadata counts it at inputWidth × inputHeight
      long macs = Math.round((double) m.macsPerFrame() * input.width() * input.height() / (m.inputWidth() * m.inputHeight()));
      out.printf("size      %,d parameters, %,d multiply-adds per frame at %s%n", m.parameters(), macs, input);
      out.printf("machine   %s; TensorFlow intra-op %d, inter-op %d threads%n", Machine.describe(), threads.intraOpThreads(),
          threads.interOpThreads());
      out.printf("%n%6s %10s %10s %10s %10s %8s%n", "batch", "frames/s", "ms/batch", "ms/frame", "GMAC/s", "batches");
      List<Row> rows = new ArrayList<>();
      for (int b : request.batches()) {
        ModelBenchmark.Throughput t = ModelBenchmark.measure(loaded, input, b, request.seconds(), 3);
        out.printf("%6d %10.1f %10.2f %10.2f %10.2f %8d%n", b, t.framesPerSecond(), t.msPerBatch(),
            1000 / t.framesPerSecond(), t.framesPerSecond() * macs / 1e9, t.batches());
        out.flush();
        rows.add(new Row(b, t));
      }
      return rows;
    }
  }
}
