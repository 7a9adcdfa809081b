package org.segstream.refine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.image.ProbabilityMap;
import org.segstream.image.RgbImage;

/** The lattice CRF against an exact O(N²) mean field with true Gaussians on small images. */
class DenseCrfBruteForceTest {

  @ParameterizedTest(name = "θα {0}, θβ {1}, θγ {2}, w1 {3}, w2 {4}, seed {5}")
  @CsvSource({
    "80, 13, 3, 10, 3, 1", // the defaults
    "80, 13, 3, 10, 3, 2",
    "8, 20, 2, 5, 3, 3", // a local appearance kernel
    "30, 10, 1.5, 3, 1, 4",
  })
  void agreesWithExactGaussians(double ta, double tb, double tg, double w1, double w2, long seed) {
    CrfParams params = new CrfParams(ta, tb, tg, w1, w2, 5);
    Scenes.Scene scene = Scenes.disc(24, 24, seed, 25, 2, 2, 2, 0.3);
    ProbabilityMap lattice = new DenseCrf(params).refineMarginals(scene.image(), scene.probabilities());
    ProbabilityMap exact = bruteForce(params, scene.image(), scene.probabilities());

    int n = 24 * 24;
    int same = 0;
    int changedByCrf = 0;
    for (int i = 0; i < n; i++) {
      if (lattice.argmax().labels()[i] == exact.argmax().labels()[i]) {
        same++;
      }
      if (exact.argmax().labels()[i] != scene.probabilities().argmax().labels()[i]) {
        changedByCrf++;
      }
    }
    double meanAbs = 0;
    for (int i = 0; i < lattice.values().length; i++) {
      meanAbs += Math.abs(lattice.values()[i] - exact.values()[i]);
    }
    meanAbs /= lattice.values().length;
    double agreement = (double) same / n;
    System.out.printf(
        "brute force %s: labels agree %.4f, mean |dQ| %.4f (the exact CRF changed %d labels)%n",
        params, agreement, meanAbs, changedByCrf);
    assertTrue(changedByCrf >= n / 100, "the scene is too easy: the CRF changed only " + changedByCrf + " labels");
    assertTrue(agreement >= 0.98, "labels agree on only " + agreement);
    assertTrue(meanAbs <= 0.05, "mean |dQ| " + meanAbs);
  }

  /** The same mean field with dense kernel matrices: k(i, j) = exp(−½ |f_i − f_j|²), self included. */
  static ProbabilityMap bruteForce(CrfParams params, RgbImage image, ProbabilityMap probabilities) {
    int w = image.width();
    int n = w * image.height();
    int classes = probabilities.classes();
    double[][] appearance = new double[n][n];
    double[][] smoothness = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double dx = i % w - j % w;
        double dy = i / w - j / w;
        double pos = dx * dx + dy * dy;
        double col = 0;
        for (int c = 0; c < 3; c++) {
          double dc = (image.rgb()[3 * i + c] & 0xff) - (image.rgb()[3 * j + c] & 0xff);
          col += dc * dc;
        }
        double ta = params.thetaAlpha();
        double tb = params.thetaBeta();
        double tg = params.thetaGamma();
        appearance[i][j] = Math.exp(-pos / (2 * ta * ta) - col / (2 * tb * tb));
        smoothness[i][j] = Math.exp(-pos / (2 * tg * tg));
      }
    }
    double[] normA = inverseSqrtRowSums(appearance);
    double[] normS = inverseSqrtRowSums(smoothness);
    double[] unary = new double[n * classes];
    double[] q = new double[n * classes];
    for (int i = 0; i < n * classes; i++) {
      unary[i] = -Math.log(Math.max(probabilities.values()[i], DenseCrf.PROBABILITY_FLOOR));
    }
    softmax(negate(unary), q, classes);
    for (int it = 0; it < params.iterations(); it++) {
      double[] logits = negate(unary);
      for (int i = 0; i < n; i++) {
        for (int l = 0; l < classes; l++) {
          double a = 0;
          double s = 0;
          for (int j = 0; j < n; j++) {
            a += appearance[i][j] * normA[j] * q[j * classes + l];
            s += smoothness[i][j] * normS[j] * q[j * classes + l];
          }
          logits[i * classes + l] += params.w1() * normA[i] * a + params.w2() * normS[i] * s;
        }
      }
      softmax(logits, q, classes);
    }
    float[] out = new float[n * classes];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) q[i];
    }
    return new ProbabilityMap(w, image.height(), classes, out);
  }

  private static double[] inverseSqrtRowSums(double[][] k) {
    double[] out = new double[k.length];
    for (int i = 0; i < k.length; i++) {
      double sum = 0;
      for (double v : k[i]) {
        sum += v;
      }
      out[i] = 1 / Math.sqrt(sum);
    }
    return out;
  }

  private static double[] negate(double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = -v[i];
    }
    return out;
  }

  private static void softmax(double[] logits, double[] out, int classes) {
    for (int o = 0; o < logits.length; o += classes) {
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < classes; k++) {
        max = Math.max(max, logits[o + k]);
      }
      double sum = 0;
      for (int k = 0; k < classes; k++) {
        out[o + k] = Math.exp(logits[o + k] - max);
        sum += out[o + k];
      }
      for (int k = 0; k < classes; k++) {
        out[o + k] /= sum;
      }
    }
  }
}
