package org.segstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.segstream.bench.CrfScenes.Scene;
import org.segstream.config.InvalidSettingException;
import org.segstream.image.LabelMap;
import org.segstream.refine.CrfParams;
import org.segstream.refine.DenseCrf;

/**
 * The original C++ dense CRF (Krähenbühl &amp; Koltun's DenseCRF 2.2 with the driver in
 * shared/tools/densecrf-reference), built here once and timed on the very scenes ours is timed on,
 * so the speed-up is a ratio taken in one run on one machine.
 */
final class ReferenceCrf {
  private static final long BUILD_TIMEOUT_S = 300;
  private static final long RUN_TIMEOUT_S = 600;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path binary;

  private ReferenceCrf(Path binary) {
    this.binary = binary;
  }

  /** One scene timed by the reference: its median and minimum, and its labels from the first run. */
  record Timing(double medianMs, double minMs, LabelMap labels) {}

  /**
   * The reference built from its source folder (the folder holding build.sh) into {@code buildDir},
   * or the binary found there from an earlier build.
   */
  static ReferenceCrf build(Path toolDir, Path buildDir) throws IOException {
    Path script = toolDir.resolve("build.sh");
    if (!Files.isRegularFile(script)) {
      throw new InvalidSettingException("reference-tool", "no build.sh in " + toolDir.toAbsolutePath()
          + ": point --reference-tool at shared/tools/densecrf-reference (or give --reference-binary)");
    }
    Path binary = buildDir.resolve("densecrf-ref");
    if (!Files.isExecutable(binary)) {
      Files.createDirectories(buildDir);
      Output out = exec(List.of("bash", script.toString(), buildDir.toString()), Map.of(), BUILD_TIMEOUT_S);
      if (out.exitCode != 0 || !Files.isExecutable(binary)) {
        throw new InvalidSettingException("reference-tool", "building the reference dense CRF with " + script
            + " failed (exit " + out.exitCode + "): " + out.text.strip()
            + " — it needs g++ and Eigen 3 (apt-get install -y g++ libeigen3-dev)");
      }
    }
    return new ReferenceCrf(binary);
  }

  /** A reference binary built before. */
  static ReferenceCrf at(Path binary) {
    if (!Files.isExecutable(binary)) {
      throw new InvalidSettingException("reference-binary", binary.toAbsolutePath()
          + " is not an executable file: build it with shared/tools/densecrf-reference/build.sh or use --reference-tool");
    }
    return new ReferenceCrf(binary);
  }

  /**
   * Times {@code scene} with {@code params}: the reference solves the same problem as ours, with the
   * unary −ln p of the same floored probabilities.
   */
  Timing time(Scene scene, CrfParams params, int repeat, Path workDir) throws IOException {
    int w = scene.image().width();
    int h = scene.image().height();
    Path image = workDir.resolve("image.rgb");
    Path unary = workDir.resolve("unary.f32");
    Path labels = workDir.resolve("labels.u8");
    Files.write(image, scene.image().rgb());
    Files.write(unary, unaryBytes(scene.probabilities().values(), scene.probabilities().classes()));
    Output out = exec(List.of(binary.toString(), Integer.toString(w), Integer.toString(h), image.toString(),
        unary.toString(), Integer.toString(params.iterations()), Integer.toString(repeat), labels.toString()),
        environment(params), RUN_TIMEOUT_S);
    if (out.exitCode != 0) {
      throw new IOException("the reference dense CRF " + binary + " failed on " + scene.name() + " (exit "
          + out.exitCode + "): " + out.text.strip());
    }
    JsonNode line = lastJsonLine(out.text, scene.name());
    return new Timing(line.path("median_ms").asDouble(), line.path("min_ms").asDouble(),
        new LabelMap(w, h, Files.readAllBytes(labels)));
  }

  /** Share of pixels where two label maps agree. */
  static double agreement(LabelMap a, LabelMap b) {
    byte[] x = a.labels();
    byte[] y = b.labels();
    if (x.length != y.length) {
      throw new IllegalArgumentException("label maps of " + x.length + " and " + y.length + " pixels");
    }
    int same = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i] == y[i]) {
        same++;
      }
    }
    return x.length == 0 ? 1 : (double) same / x.length;
  }

  /** The reference driver's parameter variables, in its (pydensecrf's) names. */
  static Map<String, String> environment(CrfParams params) {
    return Map.of(
        "CRF_SXY_GAUSS", Double.toString(params.thetaGamma()),
        "CRF_W_GAUSS", Double.toString(params.w2()),
        "CRF_SXY_BILATERAL", Double.toString(params.thetaAlpha()),
        "CRF_SRGB", Double.toString(params.thetaBeta()),
        "CRF_W_BILATERAL", Double.toString(params.w1()));
  }

  /** −ln p of the probabilities floored as {@link DenseCrf} floors them, float32 little-endian. */
  static byte[] unaryBytes(float[] p, int classes) {
    ByteBuffer out = ByteBuffer.allocate(p.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < p.length; i += classes) {
      float sum = 0;
      for (int k = 0; k < classes; k++) {
        sum += floored(p[i + k]);
      }
      for (int k = 0; k < classes; k++) {
        out.putFloat((float) -Math.log(floored(p[i + k]) / sum));
      }
    }
    return out.array();
  }

  private static float floored(float v) {
    return v > DenseCrf.PROBABILITY_FLOOR ? v : DenseCrf.PROBABILITY_FLOOR;
  }

  private static JsonNode lastJsonLine(String text, String scene) throws IOException {
    List<String> lines = new ArrayList<>(text.lines().filter(l -> l.startsWith("{")).toList());
    if (lines.isEmpty()) {
      throw new IOException("the reference dense CRF printed no timing for " + scene + ": " + text.strip());
    }
    return JSON.readTree(lines.get(lines.size() - 1));
  }

  private record Output(int exitCode, String text) {}

  private static Output exec(List<String> command, Map<String, String> env, long timeoutSeconds) throws IOException {
    Path log = Files.createTempFile("densecrf-ref", ".log");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      try {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IOException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running " + command.get(0), e);
      }
      return new Output(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
