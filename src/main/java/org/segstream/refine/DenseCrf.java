package org.segstream.refine;

import java.util.Arrays;
import org.segstream.image.LabelMap;
import org.segstream.image.ProbabilityMap;
import org.segstream.image.RgbImage;

/**
 * A fully connected CRF with Gaussian edge potentials (Krähenbühl &amp; Koltun, NIPS 2011), computing
 * what the reference DenseCRF 2.2 code computes:
 *
 * <ul>
 *   <li>unary U = −ln p, p clamped to at least {@value #PROBABILITY_FLOOR};
 *   <li>Potts compatibility; an appearance kernel on (x/θα, y/θα, R/θβ, G/θβ, B/θβ) with weight w1
 *       and a smoothness kernel on (x/θγ, y/θγ) with weight w2, x = column, y = row;
 *   <li>each kernel normalised symmetrically, D^−½ · filter(D^−½ Q) with D = filter(1), the pixel
 *       itself included;
 *   <li>mean field: Q₀ = softmax(−U), then Q = softmax(−U + Σₖ wₖ · filterₖ(Q)) per iteration (the
 *       same as subtracting the messages of the other labels: the difference is constant per pixel);
 *       label = argmax Q, ties to the lower label.
 * </ul>
 *
 * <p>Messages are passed by Gaussian filtering on permutohedral lattices, so an iteration costs
 * O(pixels · classes). Since softmax(−U + m) = p · e^m / Σ, the unary stays in probability form and
 * no logarithm is taken per pixel.
 *
 * <p>Not thread-safe: use one instance per thread (per Streams task). Buffers grow to the largest
 * frame seen and are reused; an iteration allocates nothing.
 */
public final class DenseCrf {
  /** Probabilities below this are raised to it before U = −ln p (as pydensecrf's unary_from_softmax). */
  public static final float PROBABILITY_FLOOR = 1e-5f;

  private static final int APPEARANCE_DIMS = 5;
  private static final int SMOOTHNESS_DIMS = 2;

  private final CrfParams params;
  private final PermutohedralLattice appearance = new PermutohedralLattice(APPEARANCE_DIMS);
  private final PermutohedralLattice smoothness = new PermutohedralLattice(SMOOTHNESS_DIMS);

  private float[] features = new float[0];
  private float[] ones = new float[0];
  private float[] normAppearance = new float[0];
  private float[] normSmoothness = new float[0];
  private float[] prior = new float[0];
  private float[] q = new float[0];
  private float[] messageAppearance = new float[0];
  private float[] messageSmoothness = new float[0];
  private final float[][] appearanceValues = {new float[0], new float[0]};
  private final float[][] smoothnessValues = {new float[0], new float[0]};
  private float[] blurredAppearance;
  private float[] blurredSmoothness;

  private CrfTimings lastTimings = new CrfTimings(0, 0);

  public DenseCrf(CrfParams params) {
    this.params = java.util.Objects.requireNonNull(params, "params");
  }

  public CrfParams params() {
    return params;
  }

  /** The refined labels: argmax of the marginals (ties → the lower label). */
  public LabelMap refine(RgbImage image, ProbabilityMap probabilities) {
    return refineMarginals(image, probabilities).argmax();
  }

  /** The marginals Q after {@code params.iterations()} mean-field iterations. */
  public ProbabilityMap refineMarginals(RgbImage image, ProbabilityMap probabilities) {
    requireSameSize(image, probabilities.width(), probabilities.height(), "probability map");
    int classes = probabilities.classes();
    int n = image.width() * image.height();
    ensureCapacity(n, classes);
    float[] p = probabilities.values();
    for (int i = 0; i < n; i++) {
      int o = i * classes;
      float sum = 0;
      for (int k = 0; k < classes; k++) {
        float v = p[o + k];
        v = v > PROBABILITY_FLOOR ? v : PROBABILITY_FLOOR; // NaN too
        prior[o + k] = v;
        sum += v;
      }
      float inv = 1f / sum;
      for (int k = 0; k < classes; k++) {
        prior[o + k] *= inv;
      }
    }
    return run(image, classes);
  }

  /**
   * The marginals for unary energies given directly: label k of pixel i at {@code unary[i classes +
   * k]} (the layout of the reference's unary.f32).
   */
  public ProbabilityMap refineUnary(RgbImage image, float[] unary, int classes) {
    int n = image.width() * image.height();
    if (classes < 1 || unary.length != n * classes) {
      throw new IllegalArgumentException(
          "unary holds " + unary.length + " values, a " + image.width() + "x" + image.height() + " image with "
              + classes + " classes needs " + (long) n * classes);
    }
    ensureCapacity(n, classes);
    for (int i = 0; i < n; i++) {
      int o = i * classes;
      float min = Float.POSITIVE_INFINITY;
      for (int k = 0; k < classes; k++) {
        min = Math.min(min, unary[o + k]);
      }
      float sum = 0;
      for (int k = 0; k < classes; k++) {
        // softmax(−U), kept above zero so that a label can still come back through the messages
        float v = (float) Math.exp(Math.max(min - unary[o + k], -80f));
        prior[o + k] = v;
        sum += v;
      }
      float inv = 1f / sum;
      for (int k = 0; k < classes; k++) {
        prior[o + k] *= inv;
      }
    }
    return run(image, classes);
  }

  /** How long the last call took: building the lattices and normalisers, and the iterations. */
  public CrfTimings lastTimings() {
    return lastTimings;
  }

  private ProbabilityMap run(RgbImage image, int classes) {
    if (classes > 256) {
      throw new IllegalArgumentException("at most 256 classes fit a label map, got " + classes);
    }
    long start = System.nanoTime();
    int n = image.width() * image.height();
    float w1 = (float) params.w1();
    float w2 = (float) params.w2();
    boolean useAppearance = w1 > 0;
    boolean useSmoothness = w2 > 0;
    if (useAppearance) {
      buildAppearance(image);
      normalisation(appearance, normAppearance);
    }
    if (useSmoothness) {
      buildSmoothness(image);
      normalisation(smoothness, normSmoothness);
    }
    long built = System.nanoTime();

    int size = n * classes;
    System.arraycopy(prior, 0, q, 0, size);
    int iterations = params.iterations();
    for (int it = 0; it < iterations; it++) {
      if (useAppearance) {
        blurredAppearance = filter(appearance, normAppearance, classes, appearanceValues, messageAppearance);
      }
      if (useSmoothness) {
        blurredSmoothness = filter(smoothness, normSmoothness, classes, smoothnessValues, messageSmoothness);
      }
      for (int i = 0; i < n; i++) {
        int o = i * classes;
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
          float m = 0;
          if (useAppearance) {
            m += w1 * messageAppearance[o + k];
          }
          if (useSmoothness) {
            m += w2 * messageSmoothness[o + k];
          }
          q[o + k] = m;
          max = Math.max(max, m);
        }
        float sum = 0;
        for (int k = 0; k < classes; k++) {
          float e = prior[o + k] * FastMath.expNonPositive(q[o + k] - max);
          q[o + k] = e;
          sum += e;
        }
        float inv = 1f / sum;
        for (int k = 0; k < classes; k++) {
          q[o + k] *= inv;
        }
      }
    }
    long done = System.nanoTime();
    lastTimings = new CrfTimings((built - start) / 1e6, (done - built) / 1e6);
    return new ProbabilityMap(image.width(), image.height(), classes, Arrays.copyOf(q, size));
  }

  /** message = D^−½ · filter(D^−½ · Q), the norms given as D^−½. */
  private float[] filter(PermutohedralLattice lattice, float[] norm, int classes, float[][] buffers, float[] message) {
    int len = lattice.valueLength(classes);
    growValues(buffers, len);
    Arrays.fill(buffers[0], 0, len, 0f);
    lattice.splat(q, norm, classes, buffers[0]);
    float[] blurred = lattice.blur(buffers[0], buffers[1], classes);
    lattice.slice(blurred, norm, classes, message);
    return blurred;
  }

  private void normalisation(PermutohedralLattice lattice, float[] norm) {
    float[][] buffers = lattice == appearance ? appearanceValues : smoothnessValues;
    int len = lattice.valueLength(1);
    growValues(buffers, len);
    Arrays.fill(buffers[0], 0, len, 0f);
    int n = lattice.points();
    lattice.splat(ones, null, 1, buffers[0]);
    float[] blurred = lattice.blur(buffers[0], buffers[1], 1);
    lattice.slice(blurred, null, 1, norm);
    for (int i = 0; i < n; i++) {
      norm[i] = (float) (1.0 / Math.sqrt(norm[i] + 1e-20));
    }
  }

  private static void growValues(float[][] buffers, int len) {
    for (int b = 0; b < buffers.length; b++) {
      if (buffers[b].length < len) {
        buffers[b] = new float[len + len / 4];
      }
    }
  }

  private void buildAppearance(RgbImage image) {
    int w = image.width();
    int h = image.height();
    byte[] rgb = image.rgb();
    float sxy = (float) params.thetaAlpha();
    float srgb = (float) params.thetaBeta();
    int f = 0;
    int c = 0;
    for (int y = 0; y < h; y++) {
      float fy = y / sxy;
      for (int x = 0; x < w; x++) {
        features[f++] = x / sxy;
        features[f++] = fy;
        features[f++] = (rgb[c++] & 0xff) / srgb;
        features[f++] = (rgb[c++] & 0xff) / srgb;
        features[f++] = (rgb[c++] & 0xff) / srgb;
      }
    }
    appearance.build(features, w * h);
  }

  private void buildSmoothness(RgbImage image) {
    int w = image.width();
    int h = image.height();
    float s = (float) params.thetaGamma();
    int f = 0;
    for (int y = 0; y < h; y++) {
      float fy = y / s;
      for (int x = 0; x < w; x++) {
        features[f++] = x / s;
        features[f++] = fy;
      }
    }
    smoothness.build(features, w * h);
  }

  private void ensureCapacity(int n, int classes) {
    if (features.length < n * APPEARANCE_DIMS) {
      features = new float[n * APPEARANCE_DIMS];
    }
    if (ones.length < n) {
      ones = new float[n];
      Arrays.fill(ones, 1f);
      normAppearance = new float[n];
      normSmoothness = new float[n];
    }
    if (prior.length < n * classes) {
      prior = new float[n * classes];
      q = new float[n * classes];
      messageAppearance = new float[n * classes];
      messageSmoothness = new float[n * classes];
    }
  }

  private static void requireSameSize(RgbImage image, int width, int height, String what) {
    if (image.width() != width || image.height() != height) {
      throw new IllegalArgumentException(
          "CRF input sizes differ: image " + image.width() + "x" + image.height() + ", " + what + " " + width + "x"
              + height + " (resize one to the other first)");
    }
  }
}
