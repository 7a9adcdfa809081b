package org.segstream.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.segstream.image.ImageCodec;
import org.segstream.image.ProbabilityMap;
import org.segstream.image.Resampling;
import org.segstream.image.RgbImage;
import org.segstream.model.ModelBenchmark;
import org.segstream.model.SegmentationModel;
import org.segstream.refine.CrfParams;
import org.segstream.refine.DenseCrf;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code segstream bench crf}: milliseconds per frame of the dense CRF on one thread, on the
 * reference scenes, next to the original C++ code's figures on this kind of machine.
 */
@Command(
    name = "crf",
    mixinStandardHelpOptions = true,
    description = {
      "Time the dense CRF (3 classes, one thread) at 160x160, 320x240 (the reference scenes) and 640x480",
      "(the 320x240 scene upscaled x2), median of --repeat runs after warm-up, next to the reference C++",
      "DenseCRF's times. With --model DIR, also the model's time per frame at batch 8 in the same run and the",
      "ratio of CRF time to model time per frame."
    })
final class BenchCrfCommand implements Callable<Integer> {

  /** The reference C++ DenseCRF's medians (crf-reference/README.md) at 160x160, 320x240, 640x480. */
  private static final double[] REFERENCE_MS_5 = {47, 146, 601};
  private static final double[] REFERENCE_MS_10 = {76, 232, 974};
  private static final int PROCESS_REFINE_SIZE = Integer.parseInt(ProcessorOptions.REFINE_MAX_SIZE_DEFAULT);

  @Option(names = "--iterations", defaultValue = "5", description = "Mean-field iterations (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--repeat", defaultValue = "20", description = "Timed runs per size; the median is reported (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--warmup", defaultValue = "10", description = "Untimed runs per size first, for the JIT (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--reference-dir",
      defaultValue = "../shared/data/crf-reference",
      paramLabel = "DIR",
      description = "The dense-CRF reference scenes (default: ${DEFAULT-VALUE}).")
  Path referenceDir;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "Also time this model per frame (batch 8, at its input size) for the CRF/model ratio.")
  Path model;

  @Option(
      names = "--image",
      paramLabel = "FILE",
      description = {
        "Also time a photo (JPEG or PNG) scaled to 320 px on the long side, as process refines a frame, with",
        "--model's probabilities for it (uniform without --model). The reference scenes' pixel noise makes",
        "their lattices larger than a photo's."
      })
  Path image;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  record Scene(String name, RgbImage image, ProbabilityMap probabilities) {}

  @Override
  public Integer call() throws IOException {
    if (repeat < 1 || warmup < 0) {
      throw new UsageException("--repeat must be at least 1 and --warmup at least 0, got " + repeat + " and " + warmup);
    }
    CrfParams params;
    try {
      params = CrfParams.REFERENCE.withIterations(iterations);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--iterations: " + e.getMessage());
    }
    Scene small = readScene("160x160", 160, 160);
    Scene medium = readScene("320x240", 320, 240);
    Scene large = upscale(medium, 2, "320x240 scene upscaled x2");
    List<Scene> scenes = new ArrayList<>(List.of(small, medium, large));
    try (SegmentationModel m = model == null ? null : SegmentationModel.load(model)) {
      Scene photo = image == null ? null : readPhoto(image, m);
      if (photo != null) {
        scenes.add(photo);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "Dense CRF: 3 classes, %d iterations, one thread; median of %d runs after %d warm-up runs%n",
          iterations, repeat, warmup);
      out.printf("%-9s %-28s %10s %10s %10s %12s %8s%n", "size", "scene", "lattice", "iterations", "total", "reference", "speed-up");
      double[] reference = iterations == 5 ? REFERENCE_MS_5 : iterations == 10 ? REFERENCE_MS_10 : null;
      double[] totals = new double[scenes.size()];
      for (int s = 0; s < scenes.size(); s++) {
        Scene scene = scenes.get(s);
        double[] ms = time(params, scene);
        totals[s] = ms[2];
        boolean timedByReference = reference != null && s < reference.length;
        String ref = timedByReference ? String.format("%.0f ms", reference[s]) : "-";
        String speedUp = timedByReference ? String.format("%.1fx", reference[s] / ms[2]) : "-";
        printRow(out, scene, scene.name(), ms, ref, speedUp);
      }
      if (photo != null) {
        // the photo and the 320x240 scene taking turns on one instance: both smoothness lattices stay cached
        List<Scene> turns = List.of(medium, photo);
        double[][] ms = timeTakingTurns(params, turns);
        for (int s = 0; s < turns.size(); s++) {
          Scene scene = turns.get(s);
          printRow(out, scene, "taking turns: " + scene.name().replaceFirst("^crf-reference/", ""), ms[s], "-", "-");
        }
      }
      out.println(
          "lattice = building the appearance lattice and its normaliser (the smoothness lattice depends only on the"
              + " frame size and is reused from the warm-up; an instance keeps the last four sizes', so scenes taking"
              + " turns on one instance do not rebuild it); total = the whole refine(image, probabilities) call.");
      if (reference == null) {
        out.println("(the reference was timed at 5 and 10 iterations only)");
      }
      if (m != null) {
        ModelBenchmark.Throughput t = ModelBenchmark.measure(m, 8, 3.0, 5);
        double modelMsPerFrame = 1000.0 / t.framesPerSecond();
        StringBuilder ratios = new StringBuilder();
        for (int s = 0; s < scenes.size(); s++) {
          Scene scene = scenes.get(s);
          ratios.append(s == 0 ? "" : ", ").append(String.format("%.2f at %dx%d%s", totals[s] / modelMsPerFrame,
              scene.image().width(), scene.image().height(), scene == photo ? " (photo)" : ""));
        }
        out.printf(
            "model %s at %dx%d: %.2f ms per frame at batch 8 (%.1f frames/s); CRF / model per frame: %s%n",
            m.metadata().name(),
            m.metadata().inputWidth(),
            m.metadata().inputHeight(),
            modelMsPerFrame,
            t.framesPerSecond(),
            ratios);
      }
      out.flush();
    }
    return ExitCodes.OK;
  }

  private static void printRow(PrintWriter out, Scene scene, String label, double[] ms, String reference, String speedUp) {
    out.printf("%-9s %-28s %7.2f ms %7.2f ms %7.2f ms %12s %8s%n", scene.image().width() + "x" + scene.image().height(),
        label, ms[0], ms[1], ms[2], reference, speedUp);
  }

  /** A photo at the refine size of process's default, with the model's probabilities upsampled to it. */
  private static Scene readPhoto(Path file, SegmentationModel m) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new UsageException("--image " + file + " is not a readable file: give a JPEG or PNG photo");
    }
    RgbImage photo;
    try {
      photo = ImageCodec.decode(Files.readAllBytes(file));
    } catch (RuntimeException e) {
      throw new UsageException("--image " + file + " could not be decoded as an image (" + e.getMessage() + ")");
    }
    int[] size = Resampling.capLongSide(photo.width(), photo.height(), PROCESS_REFINE_SIZE);
    RgbImage small = ImageCodec.resizeBilinear(photo, size[0], size[1]);
    ProbabilityMap probabilities;
    if (m == null) {
      float[] uniform = new float[3 * size[0] * size[1]];
      Arrays.fill(uniform, 1f / 3);
      probabilities = new ProbabilityMap(size[0], size[1], 3, uniform);
    } else {
      if (m.metadata().classNames().size() != 3) {
        throw new UsageException("--image times 3 classes; model " + m.metadata().name() + " has "
            + m.metadata().classNames().size());
      }
      RgbImage input = ImageCodec.resizeBilinear(photo, m.metadata().inputWidth(), m.metadata().inputHeight());
      probabilities = Resampling.bilinear(m.predict(List.of(input)).get(0), size[0], size[1]);
    }
    return new Scene(file.getFileName().toString(), small, probabilities);
  }

  /** Medians of lattice, iteration and total milliseconds. */
  private double[] time(CrfParams params, Scene scene) {
    return timeTakingTurns(params, List.of(scene))[0];
  }

  /**
   * Per scene, the medians of lattice, iteration and total milliseconds when the scenes take turns
   * on one CRF instance, as streams of different frame sizes do in one Streams task.
   */
  private double[][] timeTakingTurns(CrfParams params, List<Scene> scenes) {
    DenseCrf crf = new DenseCrf(params);
    for (int i = 0; i < warmup; i++) {
      for (Scene scene : scenes) {
        crf.refine(scene.image(), scene.probabilities());
      }
    }
    double[][][] ms = new double[scenes.size()][3][repeat];
    for (int i = 0; i < repeat; i++) {
      for (int s = 0; s < scenes.size(); s++) {
        Scene scene = scenes.get(s);
        long start = System.nanoTime();
        crf.refine(scene.image(), scene.probabilities());
        ms[s][2][i] = (System.nanoTime() - start) / 1e6;
        ms[s][0][i] = crf.lastTimings().latticeMs();
        ms[s][1][i] = crf.lastTimings().iterationsMs();
      }
    }
    double[][] medians = new double[scenes.size()][];
    for (int s = 0; s < scenes.size(); s++) {
      medians[s] = new double[] {median(ms[s][0]), median(ms[s][1]), median(ms[s][2])};
    }
    return medians;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** A reference scene: image.rgb and the unary turned back into probabilities, softmax(−U). */
  private Scene readScene(String name, int width, int height) throws IOException {
    Path dir = referenceDir.resolve(name);
    Path rgbFile = dir.resolve("image.rgb");
    Path unaryFile = dir.resolve("unary.f32");
    if (!Files.isRegularFile(rgbFile) || !Files.isRegularFile(unaryFile)) {
      throw new UsageException(
          "no dense-CRF reference scene in " + dir.toAbsolutePath() + " (needs image.rgb and unary.f32); point --reference-dir at"
              + " shared/data/crf-reference");
    }
    RgbImage image = new RgbImage(width, height, Files.readAllBytes(rgbFile));
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(unaryFile)).order(ByteOrder.LITTLE_ENDIAN);
    int classes = 3;
    float[] p = new float[bytes.remaining() / 4];
    if (p.length != width * height * classes) {
      throw new UsageException(unaryFile + " holds " + p.length + " floats, expected " + width * height * classes);
    }
    bytes.asFloatBuffer().get(p);
    for (int i = 0; i < p.length; i += classes) {
      float min = Math.min(p[i], Math.min(p[i + 1], p[i + 2]));
      float sum = 0;
      for (int k = 0; k < classes; k++) {
        p[i + k] = (float) Math.exp(min - p[i + k]);
        sum += p[i + k];
      }
      for (int k = 0; k < classes; k++) {
        p[i + k] /= sum;
      }
    }
    return new Scene("crf-reference/" + name, image, new ProbabilityMap(width, height, classes, p));
  }

  /** Nearest-neighbour upscaling of image and probabilities by an integer factor. */
  private static Scene upscale(Scene scene, int factor, String name) {
    RgbImage src = scene.image();
    ProbabilityMap probs = scene.probabilities();
    int classes = probs.classes();
    int w = src.width() * factor;
    int h = src.height() * factor;
    byte[] rgb = new byte[3 * w * h];
    float[] p = new float[classes * w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int from = (y / factor) * src.width() + x / factor;
        int to = y * w + x;
        System.arraycopy(src.rgb(), 3 * from, rgb, 3 * to, 3);
        System.arraycopy(probs.values(), classes * from, p, classes * to, classes);
      }
    }
    return new Scene(name, new RgbImage(w, h, rgb), new ProbabilityMap(w, h, classes, p));
  }
}
