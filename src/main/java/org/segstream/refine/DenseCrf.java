package org.segstream.refine;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
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
 * no logarithm is taken per pixel. The smoothness lattice depends only on the frame size, so it is
 * built once per size and reused for the following frames (the last four sizes are kept); the
 * appearance lattice (colours) is built per frame. With three classes, slicing, the update and the
 * next iteration's splat are one pass, and the lattices carry only labels 0 and 1: Q sums to 1 at
 * every pixel and filtering is linear, so label 2's message is the filtered all-ones signal
 * (computed once per frame) minus the other two.
 *
 * <p>One frame can be split over several threads of a fork-join pool ({@link #DenseCrf(CrfParams,
 * int, ForkJoinPool)}): finding each pixel's simplex, the slicing, update and splatting of each
 * iteration and the normalisation run on contiguous chunks of pixels, each chunk splatting into a
 * buffer of its own that is added to the others after; the lattice's vertices are still looked up
 * in pixel order and the (small) blur runs on the calling thread. Results depend on the thread
 * count only through the order of those float additions (differences around 1e−7).
 *
 * <p>Not thread-safe: use one instance per thread (per Streams task). Buffers grow to the largest
 * frame seen and are reused; on one thread an iteration allocates nothing (with more, a few small
 * task objects per pass).
 */
public final class DenseCrf {
  /** Probabilities below this are raised to it before U = −ln p (as pydensecrf's unary_from_softmax). */
  public static final float PROBABILITY_FLOOR = 1e-5f;

  private static final int APPEARANCE_DIMS = 5;
  private static final int SMOOTHNESS_DIMS = 2;

  private final CrfParams params;
  private final Workers workers;
  private final PermutohedralLattice appearance = new PermutohedralLattice(APPEARANCE_DIMS);
  /**
   * The smoothness kernels of the last {@value #SMOOTHNESS_SIZES} frame sizes seen, most recent
   * first: streams of different sizes that share a Streams task do not rebuild them frame by frame.
   */
  static final int SMOOTHNESS_SIZES = 4;
  private final ArrayDeque<SmoothnessKernel> smoothnessKernels = new ArrayDeque<>();
  /** The current frame's smoothness lattice. */
  private PermutohedralLattice smoothness;

  private float[] features = new float[0];
  private final float[] colourFeature = new float[256];
  private float[] columnFeature = new float[0];
  private float[] prior = new float[0];
  private float[] q = new float[0];
  private float[] messageAppearance = new float[0];
  private float[] messageSmoothness = new float[0];
  /**
   * Three classes: per pixel, the sum of the weighted messages of all labels (the kernels applied to
   * Q = 1), from which label 2's message follows.
   */
  private float[] messageSum = new float[0];
  /**
   * Three value buffers per lattice: the blurred values of the current Q (read by the update), the
   * next Q's splat, and the blur's scratch; the roles rotate.
   */
  private final float[][] appearanceValues = {new float[0], new float[0], new float[0]};
  private final float[][] smoothnessValues = {new float[0], new float[0], new float[0]};
  private int currentAppearance;
  private int currentSmoothness;
  private boolean useAppearance;
  private boolean useSmoothness;
  private int smoothnessBuilds;

  private CrfTimings lastTimings = new CrfTimings(0, 0);

  /** A CRF that refines each frame on the calling thread. */
  public DenseCrf(CrfParams params) {
    this(params, 1);
  }

  /** A CRF that splits each frame over {@code threads} threads of the common fork-join pool. */
  public DenseCrf(CrfParams params, int threads) {
    this(params, threads, ForkJoinPool.commonPool());
  }

  /**
   * A CRF that splits each frame over {@code threads} threads: the calling one and tasks submitted
   * to {@code pool} (a worker of that pool may call it: it runs the chunks nobody took itself).
   */
  public DenseCrf(CrfParams params, int threads, ForkJoinPool pool) {
    this.params = Objects.requireNonNull(params, "params");
    this.workers = threads == 1 ? Workers.ONE : new Workers(threads, pool);
  }

  /** How many threads a frame is split over. */
  public int threads() {
    return workers.threads();
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
    float[] pr = prior;
    workers.run(n, (chunk, from, to) -> {
      for (int i = from; i < to; i++) {
        int o = i * classes;
        float sum = 0;
        for (int k = 0; k < classes; k++) {
          float v = p[o + k];
          v = v > PROBABILITY_FLOOR ? v : PROBABILITY_FLOOR; // NaN too
          pr[o + k] = v;
          sum += v;
        }
        float inv = 1f / sum;
        for (int k = 0; k < classes; k++) {
          pr[o + k] *= inv;
        }
      }
    });
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

  /**
   * How long the last call took: building the lattices with their normalisers (the appearance
   * lattice every frame, the smoothness lattice only for a frame size not among the last four), and
   * the iterations.
   */
  public CrfTimings lastTimings() {
    return lastTimings;
  }

  private ProbabilityMap run(RgbImage image, int classes) {
    long start = System.nanoTime();
    int n = image.width() * image.height();
    useAppearance = params.w1() > 0;
    useSmoothness = params.w2() > 0;
    // three classes: the lattices carry two channels and the third message is the filtered ones
    // minus the other two (Q sums to 1 and filtering is linear), a third less message passing
    boolean threeClasses = classes == 3;
    int channels = threeClasses ? 2 : classes;
    float cA = (float) params.w1() * appearance.alpha();
    // The smoothness lattice depends only on the frame size (and θγ): frames of a stream share it.
    SmoothnessKernel kernel = useSmoothness ? smoothnessKernel(image) : null;
    smoothness = kernel == null ? null : kernel.lattice;
    float cS = useSmoothness ? (float) params.w2() * smoothness.alpha() : 0f;
    if (threeClasses) {
      if (useSmoothness) {
        System.arraycopy(kernel.messageSum, 0, messageSum, 0, n);
      } else {
        Arrays.fill(messageSum, 0, n, 0f);
      }
    }
    if (useAppearance) {
      buildAppearance(image);
      normalise(appearance, appearanceValues, workers);
      if (threeClasses) {
        appearance.addFilteredOnes(appearanceValues[0], appearanceValues[1], (float) params.w1(), messageSum, workers);
      }
    }
    long built = System.nanoTime();

    int size = n * classes;
    System.arraycopy(prior, 0, q, 0, size);
    int iterations = params.iterations();
    if (useAppearance) {
      currentAppearance = splatAndBlur(appearance, classes, channels, appearanceValues, currentAppearance);
    }
    if (useSmoothness) {
      currentSmoothness = splatAndBlur(smoothness, classes, channels, smoothnessValues, currentSmoothness);
    }
    for (int it = 0; it < iterations; it++) {
      boolean more = it + 1 < iterations;
      if (threeClasses) {
        // slice, update and splat for the next iteration in one pass over the pixels
        int nextA = (currentAppearance + 1) % 3;
        int nextS = (currentSmoothness + 1) % 3;
        if (more && useAppearance) {
          zero(appearance, appearanceValues[nextA], channels);
        }
        if (more && useSmoothness) {
          zero(smoothness, smoothnessValues[nextS], channels);
        }
        updateThreeClasses(n, more, cA, cS, appearanceValues[currentAppearance], appearanceValues[nextA],
            smoothnessValues[currentSmoothness], smoothnessValues[nextS], channels);
        if (more && useAppearance) {
          currentAppearance = blur(appearance, appearanceValues, nextA, channels);
        }
        if (more && useSmoothness) {
          currentSmoothness = blur(smoothness, smoothnessValues, nextS, channels);
        }
      } else {
        if (useAppearance) {
          appearance.slice(appearanceValues[currentAppearance], classes, messageAppearance);
        }
        if (useSmoothness) {
          smoothness.slice(smoothnessValues[currentSmoothness], classes, messageSmoothness);
        }
        updateAnyClasses(n, classes);
        if (more && useAppearance) {
          currentAppearance = splatAndBlur(appearance, classes, classes, appearanceValues, currentAppearance);
        }
        if (more && useSmoothness) {
          currentSmoothness = splatAndBlur(smoothness, classes, classes, smoothnessValues, currentSmoothness);
        }
      }
    }
    long done = System.nanoTime();
    lastTimings = new CrfTimings((built - start) / 1e6, (done - built) / 1e6);
    return new ProbabilityMap(image.width(), image.height(), classes, Arrays.copyOf(q, size));
  }

  /**
   * One mean-field update for three classes: slices both kernels' messages of labels 0 and 1 at each
   * pixel, takes label 2's as the rest of the pixel's message sum, sets Q = prior · e^m / Σ, and
   * (when {@code splat}) adds D^−½ Q of labels 0 and 1 to the next lattice buffers (zeroed by the
   * caller) at once; in chunks of pixels on the workers' threads.
   */
  private void updateThreeClasses(int n, boolean splat, float cA, float cS, float[] curA, float[] nextA, float[] curS,
      float[] nextS, int channels) {
    int chunks = workers.chunks(n);
    if (chunks == 1) {
      updateThreeClasses(0, n, splat, cA, cS, curA, nextA, curS, nextS);
      return;
    }
    boolean splatA = splat && useAppearance;
    boolean splatS = splat && useSmoothness;
    int lenA = splatA ? appearance.valueLength(channels) : 0;
    int lenS = splatS ? smoothness.valueLength(channels) : 0;
    float[][] partsA = splatA ? appearance.partials(chunks, lenA) : null;
    float[][] partsS = splatS ? smoothness.partials(chunks, lenS) : null;
    workers.run(n, (chunk, from, to) -> {
      float[] targetA = nextA;
      float[] targetS = nextS;
      if (chunk > 0 && splatA) {
        targetA = partsA[chunk];
        Arrays.fill(targetA, 0, lenA, 0f);
      }
      if (chunk > 0 && splatS) {
        targetS = partsS[chunk];
        Arrays.fill(targetS, 0, lenS, 0f);
      }
      updateThreeClasses(from, to, splat, cA, cS, curA, targetA, curS, targetS);
    });
    if (splatA) {
      PermutohedralLattice.addPartials(workers, nextA, partsA, chunks, lenA);
    }
    if (splatS) {
      PermutohedralLattice.addPartials(workers, nextS, partsS, chunks, lenS);
    }
  }

  /** {@link #updateThreeClasses(int, boolean, float, float, float[], float[], float[], float[], int)} of pixels {@code [from, to)}. */
  private void updateThreeClasses(
      int from, int to, boolean splat, float cA, float cS, float[] curA, float[] nextA, float[] curS, float[] nextS) {
    boolean useA = useAppearance;
    boolean useS = useSmoothness;
    if (useA && useS && splat) {
      updateBothKernelsAndSplat(from, to, cA, cS, curA, nextA, curS, nextS);
      return;
    }
    int[] offA = appearance.offsetsTimes2();
    float[] wA = appearance.weights();
    int[] offS = useS ? smoothness.offsetsTimes2() : null;
    float[] wS = useS ? smoothness.weights() : null;
    float[] total = messageSum;
    float[] qq = q;
    float[] p = prior;
    for (int i = from; i < to; i++) {
      float m0 = 0;
      float m1 = 0;
      if (useA) {
        int b = i * (APPEARANCE_DIMS + 1);
        float a0 = 0;
        float a1 = 0;
        for (int r = 0; r <= APPEARANCE_DIMS; r++) {
          int v = offA[b + r];
          float w = wA[b + r];
          a0 += w * curA[v];
          a1 += w * curA[v + 1];
        }
        m0 = cA * a0;
        m1 = cA * a1;
      }
      if (useS) {
        int b = i * (SMOOTHNESS_DIMS + 1);
        float a0 = 0;
        float a1 = 0;
        for (int r = 0; r <= SMOOTHNESS_DIMS; r++) {
          int v = offS[b + r];
          float w = wS[b + r];
          a0 += w * curS[v];
          a1 += w * curS[v + 1];
        }
        m0 += cS * a0;
        m1 += cS * a1;
      }
      float m2 = total[i] - m0 - m1;
      int o = 3 * i;
      // plain comparisons: Math.max(float) pays for NaN and −0 semantics the messages never need
      float max = m0 > m1 ? m0 : m1;
      max = max > m2 ? max : m2;
      float e0 = p[o] * FastMath.expNonPositive(m0 - max);
      float e1 = p[o + 1] * FastMath.expNonPositive(m1 - max);
      float e2 = p[o + 2] * FastMath.expNonPositive(m2 - max);
      float inv = 1f / (e0 + e1 + e2);
      float q0 = e0 * inv;
      float q1 = e1 * inv;
      qq[o] = q0;
      qq[o + 1] = q1;
      qq[o + 2] = e2 * inv;
      if (splat) {
        if (useA) {
          int b = i * (APPEARANCE_DIMS + 1);
          for (int r = 0; r <= APPEARANCE_DIMS; r++) {
            int v = offA[b + r];
            float w = wA[b + r];
            nextA[v] += w * q0;
            nextA[v + 1] += w * q1;
          }
        }
        if (useS) {
          int b = i * (SMOOTHNESS_DIMS + 1);
          for (int r = 0; r <= SMOOTHNESS_DIMS; r++) {
            int v = offS[b + r];
            float w = wS[b + r];
            nextS[v] += w * q0;
            nextS[v + 1] += w * q1;
          }
        }
      }
    }
  }

  /**
   * The usual case of {@link #updateThreeClasses(int, int, boolean, float, float, float[], float[],
   * float[], float[])}, both kernels on and a next iteration to splat for, without the per-pixel
   * tests and with the vertex loops written out: the same float operations in the same order.
   */
  private void updateBothKernelsAndSplat(
      int from, int to, float cA, float cS, float[] curA, float[] nextA, float[] curS, float[] nextS) {
    int[] offA = appearance.offsetsTimes2();
    float[] wA = appearance.weights();
    int[] offS = smoothness.offsetsTimes2();
    float[] wS = smoothness.weights();
    float[] total = messageSum;
    float[] qq = q;
    float[] p = prior;
    for (int i = from; i < to; i++) {
      int b = i * 6;
      int va0 = offA[b];
      int va1 = offA[b + 1];
      int va2 = offA[b + 2];
      int va3 = offA[b + 3];
      int va4 = offA[b + 4];
      int va5 = offA[b + 5];
      float wa0 = wA[b];
      float wa1 = wA[b + 1];
      float wa2 = wA[b + 2];
      float wa3 = wA[b + 3];
      float wa4 = wA[b + 4];
      float wa5 = wA[b + 5];
      float a0 = 0;
      float a1 = 0;
      a0 += wa0 * curA[va0];
      a1 += wa0 * curA[va0 + 1];
      a0 += wa1 * curA[va1];
      a1 += wa1 * curA[va1 + 1];
      a0 += wa2 * curA[va2];
      a1 += wa2 * curA[va2 + 1];
      a0 += wa3 * curA[va3];
      a1 += wa3 * curA[va3 + 1];
      a0 += wa4 * curA[va4];
      a1 += wa4 * curA[va4 + 1];
      a0 += wa5 * curA[va5];
      a1 += wa5 * curA[va5 + 1];
      float m0 = cA * a0;
      float m1 = cA * a1;
      int bs = i * 3;
      int vs0 = offS[bs];
      int vs1 = offS[bs + 1];
      int vs2 = offS[bs + 2];
      float ws0 = wS[bs];
      float ws1 = wS[bs + 1];
      float ws2 = wS[bs + 2];
      float s0 = 0;
      float s1 = 0;
      s0 += ws0 * curS[vs0];
      s1 += ws0 * curS[vs0 + 1];
      s0 += ws1 * curS[vs1];
      s1 += ws1 * curS[vs1 + 1];
      s0 += ws2 * curS[vs2];
      s1 += ws2 * curS[vs2 + 1];
      m0 += cS * s0;
      m1 += cS * s1;
      float m2 = total[i] - m0 - m1;
      int o = 3 * i;
      float max = m0 > m1 ? m0 : m1;
      max = max > m2 ? max : m2;
      float e0 = p[o] * FastMath.expNonPositive(m0 - max);
      float e1 = p[o + 1] * FastMath.expNonPositive(m1 - max);
      float e2 = p[o + 2] * FastMath.expNonPositive(m2 - max);
      float inv = 1f / (e0 + e1 + e2);
      float q0 = e0 * inv;
      float q1 = e1 * inv;
      qq[o] = q0;
      qq[o + 1] = q1;
      qq[o + 2] = e2 * inv;
      nextA[va0] += wa0 * q0;
      nextA[va0 + 1] += wa0 * q1;
      nextA[va1] += wa1 * q0;
      nextA[va1 + 1] += wa1 * q1;
      nextA[va2] += wa2 * q0;
      nextA[va2 + 1] += wa2 * q1;
      nextA[va3] += wa3 * q0;
      nextA[va3 + 1] += wa3 * q1;
      nextA[va4] += wa4 * q0;
      nextA[va4 + 1] += wa4 * q1;
      nextA[va5] += wa5 * q0;
      nextA[va5 + 1] += wa5 * q1;
      nextS[vs0] += ws0 * q0;
      nextS[vs0 + 1] += ws0 * q1;
      nextS[vs1] += ws1 * q0;
      nextS[vs1 + 1] += ws1 * q1;
      nextS[vs2] += ws2 * q0;
      nextS[vs2 + 1] += ws2 * q1;
    }
  }

  /** Q = prior · e^m / Σ from the sliced messages, for any number of classes. */
  private void updateAnyClasses(int n, int classes) {
    float w1 = (float) params.w1();
    float w2 = (float) params.w2();
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

  /**
   * Splats D^−½ Q (only labels 0 and 1 when {@code channels < classes}) into the buffer after
   * {@code current}, blurs it; returns the result's buffer index.
   */
  private int splatAndBlur(PermutohedralLattice lattice, int classes, int channels, float[][] buffers, int current) {
    int next = (current + 1) % 3;
    growValues(buffers, lattice.valueLength(channels));
    zero(lattice, buffers[next], channels);
    float[] qq = q;
    if (channels < classes) {
      // three classes, the third implied
      lattice.splat(workers, buffers[next], channels, (from, to, target) -> lattice.splatTwoOfThree(qq, from, to, target));
    } else {
      lattice.splat(workers, buffers[next], channels, (from, to, target) -> lattice.splat(qq, channels, from, to, target));
    }
    return blur(lattice, buffers, next, channels);
  }

  /**
   * Blurs buffer {@code from} with buffer {@code from + 1} (mod 3) as scratch, which callers keep
   * free of the current values; returns the index of the buffer holding the result.
   */
  private static int blur(PermutohedralLattice lattice, float[][] buffers, int from, int classes) {
    int scratch = (from + 1) % 3;
    float[] result = lattice.blur(buffers[from], buffers[scratch], classes);
    return result == buffers[from] ? from : scratch;
  }

  private static void zero(PermutohedralLattice lattice, float[] buffer, int classes) {
    Arrays.fill(buffer, 0, lattice.valueLength(classes), 0f);
  }

  /** Folds D^−½ (D = filter(1), the pixel included) into the lattice's weights. */
  private static void normalise(PermutohedralLattice lattice, float[][] buffers, Workers workers) {
    growValues(buffers, lattice.valueLength(1));
    lattice.normalise(buffers[0], buffers[1], workers);
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
    // the same float divisions as DenseCRF, looked up: 256 colour values, one per column
    for (int v = 0; v < 256; v++) {
      colourFeature[v] = v / srgb;
    }
    if (columnFeature.length < w) {
      columnFeature = new float[w];
    }
    for (int x = 0; x < w; x++) {
      columnFeature[x] = x / sxy;
    }
    float[] cf = colourFeature;
    float[] column = columnFeature;
    float[] out = features;
    workers.run(w * h, (chunk, from, to) -> {
      int x = from % w;
      int y = from / w;
      float fy = y / sxy;
      for (int i = from, f = 5 * from, c = 3 * from; i < to; i++) {
        out[f++] = column[x];
        out[f++] = fy;
        out[f++] = cf[rgb[c++] & 0xff];
        out[f++] = cf[rgb[c++] & 0xff];
        out[f++] = cf[rgb[c++] & 0xff];
        if (++x == w) {
          x = 0;
          fy = ++y / sxy;
        }
      }
    });
    appearance.build(features, w * h, workers);
  }

  /** One frame size's smoothness kernel: its lattice on (x/θγ, y/θγ), normalised, and its message sum. */
  private static final class SmoothnessKernel {
    final PermutohedralLattice lattice = new PermutohedralLattice(SMOOTHNESS_DIMS);
    int width;
    int height;
    /** w2 times the filtered all-ones signal: the smoothness part of {@link DenseCrf#messageSum}. */
    float[] messageSum = new float[0];
  }

  /** The kernel for this image's size: cached, or built into a new or the least recently used one. */
  private SmoothnessKernel smoothnessKernel(RgbImage image) {
    int w = image.width();
    int h = image.height();
    for (Iterator<SmoothnessKernel> it = smoothnessKernels.iterator(); it.hasNext(); ) {
      SmoothnessKernel k = it.next();
      if (k.width == w && k.height == h) {
        it.remove();
        smoothnessKernels.addFirst(k);
        return k;
      }
    }
    SmoothnessKernel k =
        smoothnessKernels.size() < SMOOTHNESS_SIZES ? new SmoothnessKernel() : smoothnessKernels.removeLast();
    k.width = 0; // not valid until built
    float s = (float) params.thetaGamma();
    int f = 0;
    for (int y = 0; y < h; y++) {
      float fy = y / s;
      for (int x = 0; x < w; x++) {
        features[f++] = x / s;
        features[f++] = fy;
      }
    }
    int n = w * h;
    k.lattice.build(features, n, workers);
    normalise(k.lattice, smoothnessValues, workers);
    if (k.messageSum.length < n) {
      k.messageSum = new float[n];
    }
    Arrays.fill(k.messageSum, 0, n, 0f);
    k.lattice.addFilteredOnes(smoothnessValues[0], smoothnessValues[1], (float) params.w2(), k.messageSum, workers);
    k.width = w;
    k.height = h;
    smoothnessBuilds++;
    smoothnessKernels.addFirst(k);
    return k;
  }

  /** How many smoothness lattices this instance has built (one per frame size not in its cache). */
  int smoothnessBuilds() {
    return smoothnessBuilds;
  }

  private void ensureCapacity(int n, int classes) {
    if (classes > 256) {
      throw new IllegalArgumentException("at most 256 classes fit a label map, got " + classes);
    }
    if (features.length < n * APPEARANCE_DIMS) {
      features = new float[n * APPEARANCE_DIMS];
    }
    if (prior.length < n * classes) {
      prior = new float[n * classes];
      q = new float[n * classes];
    }
    if (messageSum.length < n) {
      messageSum = new float[n];
    }
    // the fused three-class update needs no message buffers; other class counts slice into them
    if (classes != 3 && messageAppearance.length < n * classes) {
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
