package org.segstream.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Builds a U-Net in a TensorFlow graph from plain ops. One instance owns the variables; {@link
 * #logits} can be called once per mode, and both calls share them (the training graph has a
 * training branch and an inference branch; the export graph only the latter).
 *
 * <p>Any height and width work: max pooling uses SAME padding (odd sizes round up) and the decoder
 * resizes each upsampled map to its skip's exact size before concatenating.
 *
 * <p>Names: variables get fixed names without {@code /} (TensorFlow Java refuses them), so a
 * checkpoint written by the training graph restores into the export graph by name.
 */
final class UNet {
  enum Mode {
    TRAINING,
    INFERENCE
  }

  private static final float BN_EPSILON = 1e-3f;

  private final Ops tf;
  private final Architecture architecture;
  private final int classes;
  /** Draws the initial weights; null when the variables are restored from a checkpoint instead. */
  private final Random init;
  /** Scalar: new moving statistic = momentum · old + (1 − momentum) · batch; null without a training branch. */
  private final Operand<TFloat32> momentum;
  private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
  private final List<Variable<TFloat32>> trainables = new ArrayList<>();
  private final List<Op> statisticUpdates = new ArrayList<>();

  /**
   * @param initSeed seeds the initial weights; null for variables without initialisers (to be
   *     restored from a checkpoint)
   * @param momentum scalar momentum of the batch-norm moving statistics (new = momentum · old + (1 −
   *     momentum) · batch), fed per run so calibration can average exactly; null when only the
   *     inference branch is built
   */
  UNet(Ops tf, Architecture architecture, int classes, Long initSeed, Operand<TFloat32> momentum) {
    this.tf = tf;
    this.architecture = architecture;
    this.classes = classes;
    this.init = initSeed == null ? null : new Random(initSeed);
    this.momentum = momentum;
  }

  /** Logits [batch, height, width, classes] for images [batch, height, width, 3] in [0, 1]. */
  Operand<TFloat32> logits(Operand<TFloat32> image, Mode mode) {
    int[] widths = architecture.widths();
    int levels = widths.length;
    List<Operand<TFloat32>> skips = new ArrayList<>();
    Operand<TFloat32> x = image;
    int in = 3;
    for (int level = 0; level < levels - 1; level++) {
      x = block("enc" + level, x, in, widths[level], mode);
      skips.add(x);
      x = tf.nn.maxPool(x, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "SAME");
      in = widths[level];
    }
    x = block("mid", x, in, widths[levels - 1], mode);
    in = widths[levels - 1];
    for (int level = levels - 2; level >= 0; level--) {
      Operand<TFloat32> skip = skips.get(level);
      // the skip's own height and width: exact for odd sizes, where doubling would overshoot
      Operand<TInt32> size =
          tf.slice(tf.shape(tf.stopGradient(skip)), tf.constant(new int[] {1}), tf.constant(new int[] {2}));
      Operand<TFloat32> up =
          tf.image.resizeBilinear(x, size, ResizeBilinear.halfPixelCenters(true)).asOutput().expect(TFloat32.class);
      x = tf.concat(List.of(up, skip), tf.constant(3));
      x = block("dec" + level, x, in + widths[level], widths[level], mode);
      in = widths[level];
    }
    Variable<TFloat32> w = weight("head_w", 1, in, classes);
    Variable<TFloat32> b = parameter("head_b", Shape.of(classes), constant(classes, 0f), true);
    Operand<TFloat32> conv = tf.nn.conv2d(x, w, List.of(1L, 1L, 1L, 1L), "SAME");
    return tf.nn.biasAdd(conv, b);
  }

  /** Weights, batch-norm scales and offsets: what the optimiser changes. */
  List<Variable<TFloat32>> trainables() {
    return List.copyOf(trainables);
  }

  /** Every variable, trainables and batch-norm moving statistics, in creation order. */
  List<Variable<TFloat32>> variables() {
    return List.copyOf(variables.values());
  }

  /** The moving-statistics assignments of the training branch: run them with each step. */
  List<Op> statisticUpdates() {
    return List.copyOf(statisticUpdates);
  }

  /** Values held by the variables of the served graph (weights and batch-norm statistics). */
  static long parameterCount(Architecture architecture, int classes) {
    long total = 0;
    for (Conv conv : convs(architecture, classes)) {
      total += (long) conv.kernel * conv.kernel * conv.in * conv.out;
      total += conv.batchNorm ? 4L * conv.out : conv.out;
    }
    return total;
  }

  /** Multiply-adds of the convolutions for one frame of {@code width × height}. */
  static long macsPerFrame(Architecture architecture, int classes, int width, int height) {
    long total = 0;
    for (Conv conv : convs(architecture, classes)) {
      long h = height;
      long w = width;
      for (int i = 0; i < conv.level; i++) {
        h = (h + 1) / 2;
        w = (w + 1) / 2;
      }
      total += h * w * conv.kernel * conv.kernel * conv.in * conv.out;
    }
    return total;
  }

  private record Conv(int level, int kernel, int in, int out, boolean batchNorm) {}

  /** The convolutions {@link #logits} builds, in order; kept in step with it by the tests' parameter count. */
  private static List<Conv> convs(Architecture architecture, int classes) {
    int[] widths = architecture.widths();
    int levels = widths.length;
    List<Conv> convs = new ArrayList<>();
    int in = 3;
    for (int level = 0; level < levels; level++) {
      convs.add(new Conv(level, 3, in, widths[level], true));
      convs.add(new Conv(level, 3, widths[level], widths[level], true));
      in = widths[level];
    }
    for (int level = levels - 2; level >= 0; level--) {
      convs.add(new Conv(level, 3, in + widths[level], widths[level], true));
      convs.add(new Conv(level, 3, widths[level], widths[level], true));
      in = widths[level];
    }
    convs.add(new Conv(0, 1, in, classes, false));
    return convs;
  }

  private Operand<TFloat32> block(String name, Operand<TFloat32> x, int in, int out, Mode mode) {
    Operand<TFloat32> y = convBnRelu(name + "_a", x, in, out, mode);
    return convBnRelu(name + "_b", y, out, out, mode);
  }

  private Operand<TFloat32> convBnRelu(String name, Operand<TFloat32> x, int in, int out, Mode mode) {
    Variable<TFloat32> w = weight(name + "_w", 3, in, out);
    Variable<TFloat32> gamma = parameter(name + "_gamma", Shape.of(out), constant(out, 1f), true);
    Variable<TFloat32> beta = parameter(name + "_beta", Shape.of(out), constant(out, 0f), true);
    Variable<TFloat32> mean = parameter(name + "_mean", Shape.of(out), constant(out, 0f), false);
    Variable<TFloat32> variance = parameter(name + "_var", Shape.of(out), constant(out, 1f), false);
    Operand<TFloat32> conv = tf.nn.conv2d(x, w, List.of(1L, 1L, 1L, 1L), "SAME");
    boolean training = mode == Mode.TRAINING;
    FusedBatchNorm<TFloat32, TFloat32> bn;
    if (training) {
      // batch statistics; the moving ones are not read here, so pass empty vectors
      Operand<TFloat32> empty = tf.constant(Shape.of(0), DataBuffers.of(new float[0], true, false));
      bn = tf.nn.fusedBatchNorm(conv, gamma, beta, empty, empty,
          FusedBatchNorm.epsilon(BN_EPSILON), FusedBatchNorm.isTraining(true));
      Operand<TFloat32> keep = momentum;
      Operand<TFloat32> take = tf.math.sub(tf.constant(1f), momentum);
      statisticUpdates.add(tf.assign(mean, tf.math.add(tf.math.mul(mean, keep), tf.math.mul(bn.batchMean(), take))));
      statisticUpdates.add(
          tf.assign(variance, tf.math.add(tf.math.mul(variance, keep), tf.math.mul(bn.batchVariance(), take))));
    } else {
      bn = tf.nn.fusedBatchNorm(conv, gamma, beta, mean, variance,
          FusedBatchNorm.epsilon(BN_EPSILON), FusedBatchNorm.isTraining(false));
    }
    return tf.nn.relu(bn.y());
  }

  /** He-normal, truncated at two standard deviations: keeps ReLU activations at unit scale. */
  private Variable<TFloat32> weight(String name, int kernel, int in, int out) {
    Shape shape = Shape.of(kernel, kernel, in, out);
    float[] values = null;
    if (init != null && !variables.containsKey(name)) {
      values = new float[(int) shape.size()];
      double std = Math.sqrt(2.0 / (kernel * kernel * in));
      for (int i = 0; i < values.length; i++) {
        double g;
        do {
          g = init.nextGaussian();
        } while (Math.abs(g) > 2);
        values[i] = (float) (g * std);
      }
    }
    return parameter(name, shape, values, true);
  }

  private Variable<TFloat32> parameter(String name, Shape shape, float[] initial, boolean trainable) {
    Variable<TFloat32> existing = variables.get(name);
    if (existing != null) {
      return existing;
    }
    Variable<TFloat32> variable;
    if (init == null) {
      variable = tf.withName(name).variable(shape, TFloat32.class);
    } else {
      Operand<TFloat32> value =
          tf.withName(name + "_init").constant(shape, DataBuffers.of(initial, true, false));
      variable = tf.withName(name).variable(value);
    }
    variables.put(name, variable);
    if (trainable) {
      trainables.add(variable);
    }
    return variable;
  }

  private static float[] constant(int n, float value) {
    float[] values = new float[n];
    Arrays.fill(values, value);
    return values;
  }
}
