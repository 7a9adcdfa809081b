package org.segstream.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  private static final float ADAM_BETA1 = 0.9f;
  private static final float ADAM_BETA2 = 0.999f;
  private static final float ADAM_EPSILON = 1e-7f;
  /** Smooths the soft Dice ratio so a class absent from a batch does not divide by zero. */
  private static final float DICE_SMOOTHING = 1f;
  /** A pretrained encoder learns at this share of the decoder's rate once it is no longer frozen. */
  static final float ENCODER_RATE_FACTOR = 0.1f;

  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> image;
  private final Placeholder<TInt32> labels;
  private final Placeholder<TFloat32> momentum;
  private final Placeholder<TFloat32> learningRate;
  private final Placeholder<TFloat32> adamStep;
  private final float stepMomentum;
  private final Operand<TFloat32> loss;
  private final Operand<TFloat32> probabilities;
  private final List<Op> stepTargets;
  /** The step that leaves the pretrained encoder as it is; null for architectures without one. */
  private final List<Op> decoderStepTargets;
  private final List<Op> statisticUpdates;
  private final int classes;
  private final UNet unet;

  TrainingGraph(Architecture architecture, int classes, Loss lossKind, float momentum, long seed, int threads) {
    this(architecture, classes, lossKind, momentum, seed, threads,
        architecture.mobileNetV2() ? PretrainedWeights.bundledMobileNetV2() : null);
  }

  /** @param pretrained the encoder's starting weights, for architectures with a pretrained encoder */
  TrainingGraph(Architecture architecture, int classes, Loss lossKind, float momentum, long seed, int threads,
      PretrainedWeights pretrained) {
    SparseCrossEntropyGradient.ensureRegistered();
    this.classes = classes;
    this.stepMomentum = momentum;
    Graph g = new Graph();
    try {
      Ops tf = Ops.create(g);
      image = tf.withName(IMAGE).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 3)));
      labels = tf.withName(LABELS).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1, -1)));
      this.momentum = tf.withName("bn_momentum").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      unet = new UNet(tf, architecture, classes, seed, this.momentum, pretrained);

      loss = trainingLoss(tf, unet.logits(image, UNet.Mode.TRAINING), labels, lossKind, classes);
      this.learningRate = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      this.adamStep = tf.withName("adam_t").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      Map<Variable<TFloat32>, List<Variable<TFloat32>>> slots = new HashMap<>();
      Op train = adamUpdates(tf, g, loss, unet.trainables(), slots, learningRate, adamStep);
      statisticUpdates = unet.statisticUpdates();
      stepTargets = withStatistics(train, statisticUpdates);
      List<Variable<TFloat32>> decoder = unet.trainables().stream()
          .filter(v -> !v.op().name().startsWith(MobileNetV2Encoder.VARIABLE_PREFIX)).toList();
      decoderStepTargets = architecture.mobileNetV2()
          ? withStatistics(adamUpdates(tf, g, loss, decoder, slots, learningRate, adamStep), statisticUpdates)
          : null;

      probabilities = tf.withName("eval_probabilities").identity(unet.probabilities(image, UNet.Mode.INFERENCE));
      session = initializedSession(g, threads);
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
    graph = g;
  }

  private static List<Op> withStatistics(Op train, List<Op> statisticUpdates) {
    List<Op> targets = new ArrayList<>();
    targets.add(train);
    targets.addAll(statisticUpdates);
    return List.copyOf(targets);
  }

  /** The mean pixel cross-entropy of the logits against the labels, plus the soft Dice loss for {@link Loss#CE_DICE}. */
  private static Operand<TFloat32> trainingLoss(Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels,
      Loss lossKind, int classes) {
    Operand<TFloat32> flatLogits = tf.reshape(logits, tf.constant(new int[] {-1, classes}));
    Operand<TInt32> flatLabels = tf.reshape(labels, tf.constant(new int[] {-1}));
    Operand<TFloat32> pixelLoss = tf.nn.sparseSoftmaxCrossEntropyWithLogits(flatLogits, flatLabels).loss();
    Operand<TFloat32> crossEntropy = tf.math.mean(pixelLoss, tf.constant(0));
    return lossKind == Loss.CE_DICE
        ? tf.withName("loss").math.add(crossEntropy, softDiceLoss(tf, flatLogits, flatLabels, classes))
        : tf.withName("loss").identity(crossEntropy);
  }

  /**
   * One Adam update of every trainable variable from the loss's gradients, at the fed learning rate and
   * step: the op that runs them all.
   */
  private static Op adamUpdates(Ops tf, Graph g, Operand<TFloat32> loss, List<Variable<TFloat32>> trainables,
      Map<Variable<TFloat32>, List<Variable<TFloat32>>> slots, Operand<TFloat32> learningRate,
      Operand<TFloat32> adamStep) {
    Output<?>[] xs = trainables.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
    Output<?>[] gradients = g.addGradients(loss.asOutput(), xs);
    // Each update waits for every gradient: a variable must not change while backprop still reads it.
    List<Op> allGradients = new ArrayList<>();
    for (Output<?> gradient : gradients) {
      allGradients.add(tf.identity(gradient.expect(TFloat32.class)));
    }
    Ops afterGradients = tf.withControlDependencies(allGradients);
    // Adam by hand: the framework's optimiser takes a fixed float learning rate, a schedule needs a fed one.
    Operand<TFloat32> beta1 = tf.constant(ADAM_BETA1);
    Operand<TFloat32> beta2 = tf.constant(ADAM_BETA2);
    Operand<TFloat32> beta1Power = tf.math.pow(beta1, adamStep);
    Operand<TFloat32> beta2Power = tf.math.pow(beta2, adamStep);
    Operand<TFloat32> epsilon = tf.constant(ADAM_EPSILON);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < xs.length; i++) {
      Variable<TFloat32> v = trainables.get(i);
      Operand<TFloat32> gradient = afterGradients.identity(gradients[i].expect(TFloat32.class));
      // pretrained weights move slower than the new layers: a full rate would wash out what ImageNet taught
      Operand<TFloat32> rate = v.op().name().startsWith(MobileNetV2Encoder.VARIABLE_PREFIX)
          ? tf.math.mul(learningRate, tf.constant(ENCODER_RATE_FACTOR)) : learningRate;
      List<Variable<TFloat32>> moments =
          slots.computeIfAbsent(v, x -> List.of(slot(tf, x, "adam_m"), slot(tf, x, "adam_v")));
      Variable<TFloat32> m1 = moments.get(0);
      Variable<TFloat32> m2 = moments.get(1);
      updates.add(tf.train.applyAdam(v, m1, m2, beta1Power, beta2Power, rate, beta1, beta2, epsilon,
          gradient));
    }
    return tf.withControlDependencies(updates).noOp();
  }

  /** A session on the graph with its variables initialised; closed again if initialisation fails. */
  private static Session initializedSession(Graph g, int threads) {
    Session s = new Session(g, config(threads));
    try {
      s.initialize();
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  /**
   * One optimiser step on a batch; returns the batch's mean loss before the step.
   *
   * @param rate the learning rate of this step
   * @param step the step's number from 1 (Adam's bias correction)
   */
  float step(Batch batch, float rate, long step) {
    return step(batch, rate, step, false);
  }

  /**
   * One optimiser step; with {@code encoderFrozen} the pretrained encoder's weights stay as they are
   * (and its gradients are not computed), for architectures that have one.
   */
  float step(Batch batch, float rate, long step, boolean encoderFrozen) {
    List<Op> targets = encoderFrozen && decoderStepTargets != null ? decoderStepTargets : stepTargets;
    try (TFloat32 x = imageTensor(batch);
        TInt32 y = TInt32.tensorOf(Shape.of(batch.size(), batch.height(), batch.width()),
            DataBuffers.of(batch.labels(), true, false));
        TFloat32 m = TFloat32.scalarOf(stepMomentum);
        TFloat32 lr = TFloat32.scalarOf(rate);
        TFloat32 t = TFloat32.scalarOf(step)) {
      Session.Runner runner = session.runner().feed(image, x).feed(labels, y).feed(momentum, m)
          .feed(learningRate, lr).feed(adamStep, t).fetch(loss);
      targets.forEach(runner::addTarget);
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

  /** Restores every variable (weights, statistics, optimiser slots) from a checkpoint written by {@link #save}. */
  void restore(Path prefix) {
    session.restore(prefix.toString());
  }

  /** A zero-initialised optimiser slot shaped like {@code v}, named after it. */
  private static Variable<TFloat32> slot(Ops tf, Variable<TFloat32> v, String kind) {
    String name = v.op().name() + "_" + kind;
    return tf.withName(name).variable(tf.withName(name + "_init").zeros(tf.constant(v.shape()), TFloat32.class));
  }

  /**
   * 1 − mean over classes of the soft Dice score over the whole batch, (2 Σ p·y + s) / (Σ p + Σ y + s),
   * p the softmax probabilities and y the one-hot labels: rewards overlap of thin classes (the border)
   * that pixel-averaged cross-entropy underweights.
   */
  private static Operand<TFloat32> softDiceLoss(Ops tf, Operand<TFloat32> flatLogits, Operand<TInt32> flatLabels,
      int classes) {
    Operand<TFloat32> p = tf.nn.softmax(flatLogits);
    Operand<TFloat32> y = tf.oneHot(flatLabels, tf.constant(classes), tf.constant(1f), tf.constant(0f));
    Operand<TInt32> pixels = tf.constant(0);
    Operand<TFloat32> s = tf.constant(DICE_SMOOTHING);
    Operand<TFloat32> intersection = tf.reduceSum(tf.math.mul(p, y), pixels);
    Operand<TFloat32> total = tf.math.add(tf.reduceSum(p, pixels), tf.reduceSum(y, pixels));
    Operand<TFloat32> dice = tf.math.div(tf.math.add(tf.math.mul(tf.constant(2f), intersection), s),
        tf.math.add(total, s));
    return tf.math.sub(tf.constant(1f), tf.math.mean(dice, tf.constant(0)));
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
