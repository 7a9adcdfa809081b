package org.segstream.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The training graph and its session: a U-Net with a training branch (batch statistics, loss, Adam
 * step, moving-statistics updates) and an inference branch over the same variables (moving
 * statistics, softmax) — the latter is what the export graph rebuilds.
 */
final class TrainingGraph implements AutoCloseable {
  static final String IMAGE = "image";
  static final String LABELS = "labels";

  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> image;
  private final Placeholder<TInt32> labels;
  private final Placeholder<TFloat32> momentum;
  private final float stepMomentum;
  private final Operand<TFloat32> loss;
  private final Operand<TFloat32> probabilities;
  private final List<Op> stepTargets;
  private final List<Op> statisticUpdates;
  private final int classes;
  private final UNet unet;

  TrainingGraph(Architecture architecture, int classes, float learningRate, float momentum, long seed, int threads) {
    SparseCrossEntropyGradient.ensureRegistered();
    this.classes = classes;
    this.stepMomentum = momentum;
    Graph g = new Graph();
    try {
      Ops tf = Ops.create(g);
      image = tf.withName(IMAGE).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 3)));
      labels = tf.withName(LABELS).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1, -1)));
      this.momentum = tf.withName("bn_momentum").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      unet = new UNet(tf, architecture, classes, seed, this.momentum);

      Operand<TFloat32> logits = unet.logits(image, UNet.Mode.TRAINING);
      Operand<TFloat32> flatLogits = tf.reshape(logits, tf.constant(new int[] {-1, classes}));
      Operand<TInt32> flatLabels = tf.reshape(labels, tf.constant(new int[] {-1}));
      Operand<TFloat32> pixelLoss = tf.nn.sparseSoftmaxCrossEntropyWithLogits(flatLogits, flatLabels).loss();
      loss = tf.withName("loss").math.mean(pixelLoss, tf.constant(0));

      List<Variable<TFloat32>> trainables = unet.trainables();
      Output<?>[] xs = trainables.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
      Output<?>[] gradients = g.addGradients(loss.asOutput(), xs);
      // Each update waits for every gradient: a variable must not change while backprop still reads it.
      List<Op> allGradients = new ArrayList<>();
      for (Output<?> gradient : gradients) {
        allGradients.add(tf.identity(gradient.expect(TFloat32.class)));
      }
      Ops afterGradients = tf.withControlDependencies(allGradients);
      Output<?>[] orderedGradients = new Output<?>[xs.length];
      for (int i = 0; i < xs.length; i++) {
        orderedGradients[i] = afterGradients.identity(gradients[i].expect(TFloat32.class)).asOutput();
      }
      Op train = AdamUpdate.build(tf, trainables, orderedGradients, tf.constant(learningRate));
      List<Op> targets = new ArrayList<>();
      targets.add(train);
      targets.addAll(unet.statisticUpdates());
      stepTargets = List.copyOf(targets);
      statisticUpdates = unet.statisticUpdates();

      probabilities = tf.withName("eval_probabilities").nn.softmax(unet.logits(image, UNet.Mode.INFERENCE));
      Session s = new Session(g, config(threads));
      try {
        s.initialize();
      } catch (RuntimeException e) {
        s.close();
        throw e;
      }
      session = s;
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
    graph = g;
  }

  /** One optimiser step on a batch; returns the batch's mean loss before the step. */
  float step(Batch batch) {
    try (TFloat32 x = imageTensor(batch);
        TInt32 y = TInt32.tensorOf(Shape.of(batch.size(), batch.height(), batch.width()),
            DataBuffers.of(batch.labels(), true, false));
        TFloat32 m = TFloat32.scalarOf(stepMomentum)) {
      Session.Runner runner = session.runner().feed(image, x).feed(labels, y).feed(momentum, m).fetch(loss);
      stepTargets.forEach(runner::addTarget);
      try (Result result = runner.run()) {
        return ((TFloat32) result.get(0)).getFloat();
      }
    }
  }

  /**
   * Re-estimates the batch-norm moving statistics with the weights fixed: the k-th call (from 0)
   * averages this batch's statistics in with weight 1 / (k + 1), so after n calls they are the exact
   * mean over n batches. Short runs need this: their moving averages still trail the weights.
   */
  void calibrate(Batch batch, int k) {
    try (TFloat32 x = imageTensor(batch);
        TFloat32 m = TFloat32.scalarOf(k / (k + 1f))) {
      Session.Runner runner = session.runner().feed(image, x).feed(momentum, m);
      statisticUpdates.forEach(runner::addTarget);
      runner.run().close();
    }
  }

  /** Softmax probabilities of the inference branch (moving statistics), NHWC. */
  float[] infer(Batch batch) {
    float[] out = new float[batch.size() * batch.height() * batch.width() * classes];
    try (TFloat32 x = imageTensor(batch);
        Result result = session.runner().feed(image, x).fetch(probabilities).run()) {
      result.get(0).asRawTensor().data().asFloats().read(out);
    }
    return out;
  }

  /** Writes every variable to a checkpoint at {@code prefix} (files prefix.index, prefix.data-*). */
  void save(Path prefix) {
    session.save(prefix.toString());
  }

  /** Values held by the variables the served model keeps (no optimiser slots). */
  long parameterCount() {
    long total = 0;
    for (Variable<TFloat32> v : unet.variables()) {
      total += v.shape().size();
    }
    return total;
  }

  @Override
  public void close() {
    try {
      session.close();
    } finally {
      graph.close();
    }
  }

  private static TFloat32 imageTensor(Batch batch) {
    return TFloat32.tensorOf(Shape.of(batch.size(), batch.height(), batch.width(), 3),
        DataBuffers.of(batch.images(), true, false));
  }

  static ConfigProto config(int threads) {
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(threads)
        .setInterOpParallelismThreads(1)
        .build();
  }
}
