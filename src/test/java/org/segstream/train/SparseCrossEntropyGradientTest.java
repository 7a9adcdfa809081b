package org.segstream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

class SparseCrossEntropyGradientTest {

  /**
   * d loss / d logits through the custom sparse gradient equals TensorFlow's own gradient of the
   * dense softmax cross-entropy on one-hot labels, with a non-uniform upstream gradient (weighted
   * sum of the per-row losses) so the multiplication by the incoming gradient is checked too.
   */
  @Test
  void matchesDenseSoftmaxCrossEntropyGradient() {
    int rows = 37;
    int classes = 3;
    Random random = new Random(42);
    float[] logits = new float[rows * classes];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) (random.nextGaussian() * 3);
    }
    int[] labels = new int[rows];
    float[] weights = new float[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = random.nextInt(classes);
      weights[i] = 0.1f + random.nextFloat();
    }
    SparseCrossEntropyGradient.ensureRegistered();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x = tf.constant(Shape.of(rows, classes), DataBuffers.of(logits, true, false));
      Operand<TInt32> y = tf.constant(labels);
      Operand<TFloat32> w = tf.constant(weights);
      Operand<TFloat32> sparseLoss =
          tf.sum(tf.math.mul(tf.nn.sparseSoftmaxCrossEntropyWithLogits(x, y).loss(), w), tf.constant(0));
      Operand<TFloat32> oneHot = tf.oneHot(y, tf.constant(classes), tf.constant(1f), tf.constant(0f));
      Operand<TFloat32> denseLoss =
          tf.sum(tf.math.mul(tf.nn.softmaxCrossEntropyWithLogits(x, oneHot).loss(), w), tf.constant(0));
      Output<?> sparseGrad = g.addGradients(sparseLoss.asOutput(), new Output<?>[] {x.asOutput()})[0];
      Output<?> denseGrad = g.addGradients(denseLoss.asOutput(), new Output<?>[] {x.asOutput()})[0];
      float[] sparse = new float[rows * classes];
      float[] dense = new float[rows * classes];
      try (Session s = new Session(g);
          Result r = s.runner().fetch(sparseGrad).fetch(denseGrad).fetch(sparseLoss).fetch(denseLoss).run()) {
        r.get(0).asRawTensor().data().asFloats().read(sparse);
        r.get(1).asRawTensor().data().asFloats().read(dense);
        assertEquals(((TFloat32) r.get(3)).getFloat(), ((TFloat32) r.get(2)).getFloat(), 1e-4, "losses");
      }
      double maxDiff = 0;
      double maxAbs = 0;
      for (int i = 0; i < sparse.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(sparse[i] - dense[i]));
        maxAbs = Math.max(maxAbs, Math.abs(dense[i]));
      }
      assertTrue(maxAbs > 0.1, "the gradient is not trivially zero: " + maxAbs);
      assertTrue(maxDiff < 1e-6, "max |sparse - dense| = " + maxDiff);
    }
  }
}
