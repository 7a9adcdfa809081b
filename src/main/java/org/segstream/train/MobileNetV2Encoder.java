package org.segstream.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The MobileNetV2 1.0 feature extractor (Sandler et al. 2018) in a TensorFlow graph, with the layer
 * names of the bundled ImageNet weights: a stride-2 stem, then 17 inverted residual blocks (1×1
 * expand, 3×3 depthwise, 1×1 linear project; batch norm already folded into each convolution's bias).
 * It takes RGB in [0, 1] and scales it to the [-1, 1] the weights were trained on.
 */
final class MobileNetV2Encoder {
  /** Where a variable comes from: the graph owner names, creates and tracks it. */
  interface Parameters {
    /** @param initial the starting values, or null when the variable is restored from a checkpoint */
    Variable<TFloat32> variable(String name, Shape shape, float[] initial);
  }

  /** One inverted residual block: channels ×expansion, then out channels at the stride. */
  record Block(int number, int expansion, int out, int stride) {
    String layer() {
      return PREFIX + "expanded_conv_" + number;
    }
  }

  static final String PREFIX = "MobileNetV2/";
  static final String STEM = PREFIX + "Conv2d_0_0";
  static final int STEM_CHANNELS = 32;
  /** Variable names of the encoder start with this: what a frozen encoder leaves out of the update. */
  static final String VARIABLE_PREFIX = "mnv2_";
  static final List<Block> BLOCKS = List.of(
      new Block(1, 1, 16, 1), new Block(2, 6, 24, 2), new Block(3, 6, 24, 1), new Block(4, 6, 32, 2),
      new Block(5, 6, 32, 1), new Block(6, 6, 32, 1), new Block(7, 6, 64, 2), new Block(8, 6, 64, 1),
      new Block(9, 6, 64, 1), new Block(10, 6, 64, 1), new Block(11, 6, 96, 1), new Block(12, 6, 96, 1),
      new Block(13, 6, 96, 1), new Block(14, 6, 160, 2), new Block(15, 6, 160, 1), new Block(16, 6, 160, 1),
      new Block(17, 6, 320, 1));
  /** The blocks whose outputs are the U-Net's skips, at 1/2, 1/4, 1/8 and 1/16 (those before the deepest block). */
  static final int[] SKIP_BLOCKS = {1, 3, 6, 13};
  /** The last block: the deepest map at 1/32. */
  static final int DEEPEST_BLOCK = 17;

  /** Channels of block {@code number}'s output (blocks are numbered from 1). */
  static int channelsAfter(int number) {
    return BLOCKS.get(number - 1).out();
  }

  /** The encoder's maps: skips from fine (1/2) to coarse, each with its channel count, and the deepest map. */
  record Features(List<Operand<TFloat32>> skips, int[] skipChannels, Operand<TFloat32> deepest, int deepestChannels) {}

  private final Ops tf;
  private final Parameters parameters;
  private final PretrainedWeights weights;

  /** @param weights the starting values; null when every variable is restored from a checkpoint */
  MobileNetV2Encoder(Ops tf, Parameters parameters, PretrainedWeights weights) {
    this.tf = tf;
    this.parameters = parameters;
    this.weights = weights;
  }

  Features features(Operand<TFloat32> rgb01) {
    return features(rgb01, DEEPEST_BLOCK);
  }

  /** The maps of the encoder cut after block {@code deepestBlock}: the skips of {@link #SKIP_BLOCKS} before it. */
  Features features(Operand<TFloat32> rgb01, int deepestBlock) {
    Operand<TFloat32> x = tf.math.sub(tf.math.mul(rgb01, tf.constant(2f)), tf.constant(1f));
    x = conv(STEM, x, 3, 3, STEM_CHANNELS, 2, true);
    int in = STEM_CHANNELS;
    List<Operand<TFloat32>> skips = new ArrayList<>();
    int[] skipBlocks = skipBlocks(deepestBlock);
    int[] skipChannels = new int[skipBlocks.length];
    for (Block b : BLOCKS) {
      x = block(b, x, in);
      in = b.out();
      if (b.number() == deepestBlock) {
        break;
      }
      for (int i = 0; i < skipBlocks.length; i++) {
        if (skipBlocks[i] == b.number()) {
          skips.add(x);
          skipChannels[i] = in;
        }
      }
    }
    return new Features(skips, skipChannels, x, in);
  }

  /** The skip blocks before {@code deepestBlock}, fine to coarse. */
  static int[] skipBlocks(int deepestBlock) {
    return Arrays.stream(SKIP_BLOCKS).filter(n -> n < deepestBlock).toArray();
  }

  /**
   * The ImageNet classifier on top of the features (1×1 conv to 1280, global mean, 1×1 to 1001
   * logits, index 0 = background): not part of a segmentation model, here to check the weights.
   */
  Operand<TFloat32> imagenetLogits(Operand<TFloat32> rgb01) {
    Features f = features(rgb01);
    Operand<TFloat32> x = conv(PREFIX + "Conv2d_18_1", f.deepest(), 1, f.deepestChannels(), 1280, 1, true);
    x = tf.math.mean(x, tf.constant(new int[] {1, 2}), org.tensorflow.op.math.Mean.keepDims(true));
    x = conv(PREFIX + "top/Conv2d_1x1_output", x, 1, 1280, 1001, 1, false);
    return tf.reshape(x, tf.constant(new int[] {-1, 1001}));
  }

  private Operand<TFloat32> block(Block b, Operand<TFloat32> input, int in) {
    Operand<TFloat32> x = input;
    int expanded = in * b.expansion();
    if (b.expansion() != 1) {
      x = conv(b.layer() + "/expand", x, 1, in, expanded, 1, true);
    }
    x = depthwise(b.layer() + "/depthwise", x, expanded, b.stride());
    x = conv(b.layer() + "/project", x, 1, expanded, b.out(), 1, false);
    return b.stride() == 1 && in == b.out() ? tf.math.add(input, x) : x;
  }

  private Operand<TFloat32> conv(String layer, Operand<TFloat32> x, int kernel, int in, int out, int stride,
      boolean relu6) {
    Variable<TFloat32> w = variable(layer, "weight", Shape.of(kernel, kernel, in, out));
    Variable<TFloat32> b = variable(layer, "bias", Shape.of(out));
    Operand<TFloat32> y = tf.nn.biasAdd(tf.nn.conv2d(x, w, List.of(1L, (long) stride, (long) stride, 1L), "SAME"), b);
    return relu6 ? tf.nn.relu6(y) : y;
  }

  private Operand<TFloat32> depthwise(String layer, Operand<TFloat32> x, int channels, int stride) {
    Variable<TFloat32> w = variable(layer, "weight", Shape.of(3, 3, channels, 1));
    Variable<TFloat32> b = variable(layer, "bias", Shape.of(channels));
    Operand<TFloat32> y = tf.nn.depthwiseConv2dNative(x, w, List.of(1L, (long) stride, (long) stride, 1L), "SAME");
    return tf.nn.relu6(tf.nn.biasAdd(y, b));
  }

  private Variable<TFloat32> variable(String layer, String role, Shape shape) {
    float[] initial = weights == null ? null : weights.get(layer, role, shape).values();
    return parameters.variable(variableName(layer, role), shape, initial);
  }

  /** {@code MobileNetV2/expanded_conv_3/expand} weight → {@code mnv2_expanded_conv_3_expand_w} (no {@code /}). */
  static String variableName(String layer, String role) {
    String base = layer.substring(PREFIX.length()).replace('/', '_');
    return VARIABLE_PREFIX + base + ("weight".equals(role) ? "_w" : "_b");
  }

  /** Values held by the encoder's variables up to {@code deepestBlock}. */
  static long parameterCount(int deepestBlock) {
    long total = 9L * 3 * STEM_CHANNELS + STEM_CHANNELS;
    int in = STEM_CHANNELS;
    for (Block b : BLOCKS) {
      int e = in * b.expansion();
      if (b.expansion() != 1) {
        total += (long) in * e + e;
      }
      total += 9L * e + e + (long) e * b.out() + b.out();
      in = b.out();
      if (b.number() == deepestBlock) {
        break;
      }
    }
    return total;
  }

  /**
   * Multiply-adds of the encoder cut after {@code deepestBlock} for one {@code width × height} frame (SAME
   * padding: sizes round up at stride 2).
   */
  static long macsPerFrame(int width, int height, int deepestBlock) {
    long h = (height + 1) / 2;
    long w = (width + 1) / 2;
    long total = h * w * 9L * 3 * STEM_CHANNELS;
    int in = STEM_CHANNELS;
    for (Block b : BLOCKS) {
      int e = in * b.expansion();
      if (b.expansion() != 1) {
        total += h * w * in * e;
      }
      if (b.stride() == 2) {
        h = (h + 1) / 2;
        w = (w + 1) / 2;
      }
      total += h * w * (9L * e + (long) e * b.out());
      in = b.out();
      if (b.number() == deepestBlock) {
        break;
      }
    }
    return total;
  }
}
