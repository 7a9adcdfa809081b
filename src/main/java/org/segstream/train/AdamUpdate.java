package org.segstream.train;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyAdam;
import org.tensorflow.types.TFloat32;

/**
 * Adam as graph ops, with the bias-correction powers advanced only after every variable's update.
 * tensorflow-framework 1.0.0's {@code Adam.finish} assigns beta1^t and beta2^t with no control
 * dependency on the ApplyAdam ops, so an update could read the already-advanced powers: the loss
 * curve of a fixed seed then varied between runs on a busy machine.
 */
final class AdamUpdate {
  static final float BETA1 = 0.9f;
  static final float BETA2 = 0.999f;
  static final float EPSILON = 1e-7f;

  private AdamUpdate() {}

  /**
   * One training op applying {@code gradients[i]} to {@code variables.get(i)}.
   *
   * @param learningRate a scalar, constant or fed (for schedules)
   */
  static Op build(Ops tf, List<Variable<TFloat32>> variables, Output<?>[] gradients, Operand<TFloat32> learningRate) {
    Variable<TFloat32> beta1Power = tf.withName("adam_beta1_power").variable(tf.constant(BETA1));
    Variable<TFloat32> beta2Power = tf.withName("adam_beta2_power").variable(tf.constant(BETA2));
    Operand<TFloat32> beta1 = tf.constant(BETA1);
    Operand<TFloat32> beta2 = tf.constant(BETA2);
    Operand<TFloat32> epsilon = tf.constant(EPSILON);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Variable<TFloat32> variable = variables.get(i);
      String name = variable.op().name();
      Variable<TFloat32> m = tf.withName(name + "_adam_m").variable(tf.zerosLike(variable));
      Variable<TFloat32> v = tf.withName(name + "_adam_v").variable(tf.zerosLike(variable));
      updates.add(
          tf.withName(name + "_adam_apply")
              .train
              .applyAdam(
                  variable,
                  m,
                  v,
                  beta1Power,
                  beta2Power,
                  learningRate,
                  beta1,
                  beta2,
                  epsilon,
                  gradients[i].expect(TFloat32.class),
                  ApplyAdam.useLocking(true)));
    }
    Ops afterUpdates = tf.withControlDependencies(updates);
    Op nextBeta1 = afterUpdates.assign(beta1Power, afterUpdates.math.mul(beta1Power, beta1));
    Op nextBeta2 = afterUpdates.assign(beta2Power, afterUpdates.math.mul(beta2Power, beta2));
    return tf.withName("adam_step").withControlDependencies(List.of(nextBeta1, nextBeta2)).noOp();
  }
}
