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
  private final PretrainedWeights pretrained;

  /**
   * @param initSeed seeds the initial weights; null for variables without initialisers (to be
   *     restored from a checkpoint)
   * @param momentum scalar momentum of the batch-norm moving statistics (new = momentum · old + (1 −
   *     momentum) · batch), fed per run so calibration can average exactly; null when only the
   *     inference branch is built
   */
  UNet(Ops tf, Architecture architecture, int classes, Long initSeed, Operand<TFloat32> momentum) {
    this(tf, architecture, classes, initSeed, momentum,
        initSeed != null && architecture.mobileNetV2() ? PretrainedWeights.bundledMobileNetV2() : null);
  }

  /** @param pretrained the encoder's starting weights (MobileNetV2 architectures with an init seed only) */
  UNet(Ops tf, Architecture architecture, int classes, Long initSeed, Operand<TFloat32> momentum,
      PretrainedWeights pretrained) {
    this.pretrained = pretrained;
    this.tf = tf;
    this.architecture = architecture;
    this.classes = classes;
    this.init = initSeed == null ? null : new Random(initSeed);
    this.momentum = momentum;
  }

  /** Logits [batch, height, width, classes] for images [batch, height, width, 3] in [0, 1]. */
  Operand<TFloat32> logits(Operand<TFloat32> image, Mode mode) {
    if (architecture.xception()) {
      return xceptionLogits(image, mode);
    }
    if (architecture.mobileNetV2()) {
      return toInputSize(mobileNetV2CoarseLogits(image, mode), image);
    }
    return plainLogits(image, mode);
  }

  /**
   * Class probabilities [batch, height, width, classes], what a model serves. The MobileNetV2 decoders take the
   * softmax at their logits' resolution and resize the probabilities: a bilinear resize mixes them with weights that
   * sum to 1, so they stay probabilities, and a softmax over three classes at the input's resolution was an eighth of
   * the whole model's time (oneDNN handles so short a class axis poorly).
   */
  Operand<TFloat32> probabilities(Operand<TFloat32> image, Mode mode) {
    if (architecture.mobileNetV2()) {
      return toInputSize(tf.nn.softmax(mobileNetV2CoarseLogits(image, mode)), image);
    }
    return tf.nn.softmax(logits(image, mode));
  }

  private Operand<TFloat32> plainLogits(Operand<TFloat32> image, Mode mode) {
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

  /**
   * The MobileNetV2 encoder's skips, each joined to the decoder's upsampled map by one separable 3×3
   * convolution with batch norm and ReLU (a full 3×3 one cost more than the encoder), coarse to fine; logits at the
   * finest level (1/2, or 1/4 for a decoder without the finest skip), which the callers resize bilinearly to the
   * input: full-resolution layers would cost more than the whole encoder.
   */
  private Operand<TFloat32> mobileNetV2CoarseLogits(Operand<TFloat32> image, Mode mode) {
    MobileNetV2Encoder encoder = new MobileNetV2Encoder(tf,
        (name, shape, initial) -> parameter(name, shape, init == null ? null : initial, true), pretrained);
    MobileNetV2Encoder.Features features = encoder.features(image, architecture.encoderDeepestBlock());
    int[] widths = architecture.widths();
    // a decoder with fewer levels than skips joins the coarsest ones and leaves the finest out
    int firstSkip = features.skips().size() - widths.length;
    Operand<TFloat32> x = features.deepest();
    int in = features.deepestChannels();
    for (int level = widths.length - 1; level >= 0; level--) {
      Operand<TFloat32> skip = features.skips().get(firstSkip + level);
      Operand<TFloat32> up =
          tf.image.resizeBilinear(x, spatialSize(skip), ResizeBilinear.halfPixelCenters(true)).asOutput()
              .expect(TFloat32.class);
      x = tf.concat(List.of(up, skip), tf.constant(3));
      String name = "dec" + level;
      x = relu(batchNorm(name, separable(name, x, in + features.skipChannels()[firstSkip + level], widths[level]), widths[level],
          mode));
      in = widths[level];
    }
    return conv("head", x, 1, in, classes, 1, true);
  }

  private Operand<TFloat32> toInputSize(Operand<TFloat32> map, Operand<TFloat32> image) {
    return tf.image.resizeBilinear(map, spatialSize(image), ResizeBilinear.halfPixelCenters(true)).asOutput()
        .expect(TFloat32.class);
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
    if (architecture.xception()) {
      return xceptionCounts(architecture, classes, 16, 16)[0];
    }
    if (architecture.mobileNetV2()) {
      return mobileNetV2DecoderCounts(architecture, classes, 16, 16)[0] + MobileNetV2Encoder.parameterCount(
          architecture.encoderDeepestBlock());
    }
    long total = 0;
    for (Conv conv : convs(architecture, classes)) {
      total += (long) conv.kernel * conv.kernel * conv.in * conv.out;
      total += conv.batchNorm ? 4L * conv.out : conv.out;
    }
    return total;
  }

  /** Multiply-adds of the convolutions for one frame of {@code width × height}. */
  static long macsPerFrame(Architecture architecture, int classes, int width, int height) {
    if (architecture.xception()) {
      return xceptionCounts(architecture, classes, width, height)[1];
    }
    if (architecture.mobileNetV2()) {
      return mobileNetV2DecoderCounts(architecture, classes, width, height)[1]
          + MobileNetV2Encoder.macsPerFrame(width, height, architecture.encoderDeepestBlock());
    }
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

  /**
   * The Xception-style U-Net. Transposed 3×3 convolutions at stride 1 are plain 3×3 convolutions (the
   * same function class, with the kernel flipped), and convolutions followed by batch norm carry no
   * bias (the norm's offset replaces it). Upsampling is nearest-neighbour to the exact size of the
   * matching encoder level, so odd sizes work.
   */
  private Operand<TFloat32> xceptionLogits(Operand<TFloat32> image, Mode mode) {
    int[] widths = architecture.widths();
    List<Operand<TFloat32>> levels = new ArrayList<>();
    levels.add(image);
    Operand<TFloat32> x = relu(batchNorm("stem", conv("stem", image, 3, 3, widths[0], 2, false), widths[0], mode));
    levels.add(x);
    Operand<TFloat32> previous = x;
    int in = widths[0];
    for (int i = 1; i < widths.length; i++) {
      int f = widths[i];
      String n = "down" + f;
      x = batchNorm(n + "_a", separable(n + "_a", relu(x), in, f), f, mode);
      x = batchNorm(n + "_b", separable(n + "_b", relu(x), f, f), f, mode);
      x = tf.nn.maxPool(x, tf.constant(new int[] {1, 3, 3, 1}), tf.constant(new int[] {1, 2, 2, 1}), "SAME");
      Operand<TFloat32> residual = conv(n + "_res", previous, 1, in, f, 2, true);
      x = tf.math.add(x, residual);
      previous = x;
      in = f;
      if (i < widths.length - 1) {
        levels.add(x);
      }
    }
    for (int i = widths.length - 1; i >= 0; i--) {
      int f = widths[i];
      String n = "up" + f;
      x = batchNorm(n + "_a", conv(n + "_a", relu(x), 3, in, f, 1, false), f, mode);
      x = batchNorm(n + "_b", conv(n + "_b", relu(x), 3, f, f, 1, false), f, mode);
      Operand<TInt32> size = spatialSize(levels.get(i));
      x = tf.image.resizeNearestNeighbor(x, size).asOutput().expect(TFloat32.class);
      Operand<TFloat32> residual = tf.image.resizeNearestNeighbor(previous, size).asOutput().expect(TFloat32.class);
      x = tf.math.add(x, conv(n + "_res", residual, 1, in, f, 1, true));
      previous = x;
      in = f;
    }
    return conv("head", x, 3, in, classes, 1, true);
  }

  /** [height, width] of an NHWC map, outside the gradient. */
  private Operand<TInt32> spatialSize(Operand<TFloat32> map) {
    return tf.slice(tf.shape(tf.stopGradient(map)), tf.constant(new int[] {1}), tf.constant(new int[] {2}));
  }

  private Operand<TFloat32> relu(Operand<TFloat32> x) {
    return tf.nn.relu(x);
  }

  /** A SAME-padded convolution, with a bias when no batch norm follows. */
  private Operand<TFloat32> conv(String name, Operand<TFloat32> x, int kernel, int in, int out, int stride, boolean bias) {
    Variable<TFloat32> w = weight(name + "_w", kernel, in, out);
    Operand<TFloat32> y = tf.nn.conv2d(x, w, List.of(1L, (long) stride, (long) stride, 1L), "SAME");
    if (!bias) {
      return y;
    }
    Variable<TFloat32> b = parameter(name + "_bias", Shape.of(out), constant(out, 0f), true);
    return tf.nn.biasAdd(y, b);
  }

  /** Depthwise 3×3 then pointwise 1×1 (Keras SeparableConv2D, depth multiplier 1), without bias. */
  private Operand<TFloat32> separable(String name, Operand<TFloat32> x, int in, int out) {
    Variable<TFloat32> depthwise = weight(name + "_dw", 3, in, 1, 9);
    Operand<TFloat32> y = tf.nn.depthwiseConv2dNative(x, depthwise, List.of(1L, 1L, 1L, 1L), "SAME");
    Variable<TFloat32> pointwise = weight(name + "_pw", 1, in, out);
    return tf.nn.conv2d(y, pointwise, List.of(1L, 1L, 1L, 1L), "SAME");
  }

  /** Parameters and multiply-adds of {@link #mobileNetV2CoarseLogits}'s decoder at {@code width × height}. */
  private static long[] mobileNetV2DecoderCounts(Architecture architecture, int classes, int width, int height) {
    int[] widths = architecture.widths();
    int[] skipBlocks = decoderSkipBlocks(architecture);
    // level 0 is at 1/2 when the decoder takes every skip, at 1/4 when it leaves the finest one out
    int firstHalvings = 1 + MobileNetV2Encoder.skipBlocks(architecture.encoderDeepestBlock()).length - widths.length;
    long params = 0;
    long macs = 0;
    int in = MobileNetV2Encoder.channelsAfter(architecture.encoderDeepestBlock());
    long[] finest = {0, 0};
    for (int level = widths.length - 1; level >= 0; level--) {
      long[] size = halved(width, height, firstHalvings + level);
      int joined = in + MobileNetV2Encoder.channelsAfter(skipBlocks[level]);
      long k = 9L * joined + (long) joined * widths[level];
      params += k + 4L * widths[level];
      macs += size[0] * size[1] * k;
      in = widths[level];
      finest = size;
    }
    params += (long) in * classes + classes;
    macs += finest[0] * finest[1] * in * classes;
    return new long[] {params, macs};
  }

  /** The encoder's skips the decoder joins, fine to coarse: the coarsest, one per decoder level. */
  private static int[] decoderSkipBlocks(Architecture architecture) {
    int[] all = MobileNetV2Encoder.skipBlocks(architecture.encoderDeepestBlock());
    return Arrays.copyOfRange(all, all.length - architecture.widths().length, all.length);
  }

  /** {@code width × height} halved {@code times} (SAME padding: odd sizes round up). */
  private static long[] halved(int width, int height, int times) {
    long w = width;
    long h = height;
    for (int i = 0; i < times; i++) {
      w = (w + 1) / 2;
      h = (h + 1) / 2;
    }
    return new long[] {w, h};
  }

  /** Parameters and multiply-adds of {@link #xceptionLogits} at {@code width × height}, counted layer by layer. */
  private static long[] xceptionCounts(Architecture architecture, int classes, int width, int height) {
    int[] widths = architecture.widths();
    int levels = widths.length + 1;
    long[] pixels = new long[levels + 1];
    long h = height;
    long w = width;
    for (int l = 0; l <= levels; l++) {
      pixels[l] = h * w;
      h = (h + 1) / 2;
      w = (w + 1) / 2;
    }
    long params = 0;
    long macs = 0;
    int in = widths[0];
    params += 9L * 3 * in + 4L * in;
    macs += pixels[1] * 9L * 3 * in;
    for (int i = 1; i < widths.length; i++) {
      int f = widths[i];
      long p = pixels[i];
      params += 9L * in + (long) in * f + 4L * f + 9L * f + (long) f * f + 4L * f + (long) in * f + f;
      macs += p * (9L * in + (long) in * f + 9L * f + (long) f * f) + pixels[i + 1] * in * f;
      in = f;
    }
    for (int i = widths.length - 1; i >= 0; i--) {
      int f = widths[i];
      long p = pixels[i + 1];
      params += 9L * in * f + 4L * f + 9L * f * f + 4L * f + (long) in * f + f;
      macs += p * (9L * in * f + 9L * f * f) + pixels[i] * in * f;
      in = f;
    }
    params += 9L * in * classes + classes;
    macs += pixels[0] * 9L * in * classes;
    return new long[] {params, macs};
  }

  private Operand<TFloat32> block(String name, Operand<TFloat32> x, int in, int out, Mode mode) {
    Operand<TFloat32> y = convBnRelu(name + "_a", x, in, out, mode);
    return convBnRelu(name + "_b", y, out, out, mode);
  }

  private Operand<TFloat32> convBnRelu(String name, Operand<TFloat32> x, int in, int out, Mode mode) {
    Variable<TFloat32> w = weight(name + "_w", 3, in, out);
    Operand<TFloat32> conv = tf.nn.conv2d(x, w, List.of(1L, 1L, 1L, 1L), "SAME");
    return tf.nn.relu(batchNorm(name, conv, out, mode));
  }

  /** Batch norm: batch statistics (and moving-statistics updates) in training, moving statistics in inference. */
  private Operand<TFloat32> batchNorm(String name, Operand<TFloat32> conv, int out, Mode mode) {
    Variable<TFloat32> gamma = parameter(name + "_gamma", Shape.of(out), constant(out, 1f), true);
    Variable<TFloat32> beta = parameter(name + "_beta", Shape.of(out), constant(out, 0f), true);
    Variable<TFloat32> mean = parameter(name + "_mean", Shape.of(out), constant(out, 0f), false);
    Variable<TFloat32> variance = parameter(name + "_var", Shape.of(out), constant(out, 1f), false);
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
    return bn.y();
  }

  /** He-normal, truncated at two standard deviations: keeps ReLU activations at unit scale. */
  private Variable<TFloat32> weight(String name, int kernel, int in, int out) {
    return weight(name, kernel, in, out, kernel * kernel * in);
  }

  /** A kernel [kernel, kernel, in, out] drawn for {@code fanIn} inputs per output. */
  private Variable<TFloat32> weight(String name, int kernel, int in, int out, int fanIn) {
    Shape shape = Shape.of(kernel, kernel, in, out);
    float[] values = null;
    if (init != null && !variables.containsKey(name)) {
      values = new float[(int) shape.size()];
      double std = Math.sqrt(2.0 / fanIn);
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
