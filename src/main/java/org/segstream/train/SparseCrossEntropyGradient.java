package org.segstream.train;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.SparseSoftmaxCrossEntropyWithLogits;
import org.tensorflow.types.TFloat32;

/**
 * The gradient TensorFlow's C++ core lacks for {@code SparseSoftmaxCrossEntropyWithLogits}: the op
 * already computes d loss / d logits (its {@code backprop} output, softmax − one-hot), so the
 * gradient is that times the incoming gradient of each row's loss. Labels get zeros (a null there
 * makes graph differentiation throw).
 */
final class SparseCrossEntropyGradient {
  private SparseCrossEntropyGradient() {}

  /**
   * Registers the gradient once per JVM (TensorFlow keeps the registry process-wide).
   *
   * @return false if another gradient was registered for the op first (that one is used)
   */
  static boolean ensureRegistered() {
    return Holder.REGISTERED;
  }

  private static final class Holder {
    static final boolean REGISTERED =
        TensorFlow.registerCustomGradient(
            SparseSoftmaxCrossEntropyWithLogits.Inputs.class, SparseCrossEntropyGradient::gradient);
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static List<Operand<?>> gradient(
      Ops tf, SparseSoftmaxCrossEntropyWithLogits.Inputs op, List<Output<?>> gradients) {
    Output<TFloat32> backprop = ((SparseSoftmaxCrossEntropyWithLogits) op.getOutputs()).backprop();
    Operand<TFloat32> lossGradient = gradients.get(0).expect(TFloat32.class);
    Operand<TFloat32> features = tf.math.mul(backprop, tf.expandDims(lossGradient, tf.constant(-1)));
    return List.of(features, tf.zerosLike(op.labels));
  }
}
