package org.segstream.refine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.image.LabelMap;
import org.segstream.image.ProbabilityMap;
import org.segstream.image.RgbImage;
import org.segstream.testing.SharedData;

/** Our CRF against the original C++ DenseCRF on the two shipped reference scenes. */
class DenseCrfReferenceTest {

  @ParameterizedTest(name = "{0}, {3} thread(s)")
  @CsvSource({"160x160, 160, 160, 1", "320x240, 320, 240, 1", "160x160, 160, 160, 3", "320x240, 320, 240, 3"})
  void matchesTheReferenceAfterFiveIterations(String scene, int width, int height, int threads) throws IOException {
    Path dir = SharedData.path("crf-reference/" + scene);
    int n = width * height;
    RgbImage image = new RgbImage(width, height, Files.readAllBytes(dir.resolve("image.rgb")));
    float[] unary = readFloats(dir.resolve("unary.f32"));
    byte[] expectedLabels = Files.readAllBytes(dir.resolve("label_crf5.u8"));
    float[] expectedQ = readFloats(dir.resolve("q_crf5.f32"));
    assertEquals(3 * n, unary.length);

    DenseCrf crf = new DenseCrf(CrfParams.REFERENCE, threads);
    ProbabilityMap q = crf.refineUnary(image, unary, 3);
    LabelMap labels = q.argmax();

    int same = 0;
    for (int i = 0; i < n; i++) {
      if (labels.labels()[i] == expectedLabels[i]) {
        same++;
      }
    }
    double meanAbs = 0;
    for (int i = 0; i < 3 * n; i++) {
      meanAbs += Math.abs(q.values()[i] - expectedQ[i]);
    }
    meanAbs /= 3 * n;
    double agreement = (double) same / n;
    System.out.printf("%s, %d thread(s): labels equal %.5f, mean |dQ| %.3e%n", scene, threads, agreement, meanAbs);
    // the permutohedral lattice is exact up to float rounding here (measured: all labels, mean |dQ| ~2e-8)
    assertTrue(agreement >= 0.9999, scene + ": only " + agreement + " of labels equal the reference's");
    assertTrue(meanAbs <= 1e-5, scene + ": mean |dQ| " + meanAbs + " against the reference");
  }

  static float[] readFloats(Path file) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[bytes.remaining() / 4];
    bytes.asFloatBuffer().get(out);
    return out;
  }
}
