package org.segstream.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.segstream.model.SegmentationModel;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Writes the inference-only SavedModel of the model contract: the U-Net rebuilt in a fresh graph
 * in inference mode, its variables restored from the training checkpoint (so no optimiser state
 * and no training branch travel), tag {@code serve}, signature {@code serving_default} with input
 * {@code image} [batch, h, w, 3] and output {@code probabilities} [batch, h, w, classes].
 */
final class ModelExporter {
  private ModelExporter() {}

  static void export(Architecture architecture, int classes, Path checkpointPrefix, Path dir) {
    export(architecture, classes, checkpointPrefix, dir, false);
  }

  /**
   * @param flipAverage serve the mean of the probabilities of the image and of its mirror image
   *     (mirrored back): test-time augmentation inside the graph, at twice the cost per frame
   */
  static void export(Architecture architecture, int classes, Path checkpointPrefix, Path dir, boolean flipAverage) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> image = tf.withName(SegmentationModel.INPUT)
          .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 3)));
      UNet unet = new UNet(tf, architecture, classes, null, null);
      Operand<TFloat32> probabilities;
      if (flipAverage) {
        Operand<TInt32> widthAxis = tf.constant(new int[] {2});
        Operand<TFloat32> direct = unet.probabilities(image, UNet.Mode.INFERENCE);
        Operand<TFloat32> mirrored = tf.reverse(
            unet.probabilities(tf.reverse(image, widthAxis), UNet.Mode.INFERENCE), widthAxis);
        probabilities = tf.withName(SegmentationModel.OUTPUT)
            .math.mul(tf.math.add(direct, mirrored), tf.constant(0.5f));
      } else {
        probabilities = tf.withName(SegmentationModel.OUTPUT).identity(unet.probabilities(image, UNet.Mode.INFERENCE));
      }
      try (Session session = new Session(graph, TrainingGraph.config(1))) {
        session.restore(checkpointPrefix.toString());
        Signature signature = Signature.builder(SegmentationModel.SIGNATURE)
            .input(SegmentationModel.INPUT, image)
            .output(SegmentationModel.OUTPUT, probabilities)
            .build();
        SavedModelBundle.exporter(dir.toString())
            .withTags(SegmentationModel.TAG)
            .withSession(session)
            .withSignature(signature)
            .export();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the SavedModel to " + dir + ": " + e.getMessage(), e);
      }
    }
  }
}
