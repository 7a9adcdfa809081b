package org.segstream.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.segstream.image.ProbabilityMap;
import org.segstream.image.RgbImage;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * A loaded segmentation model: a SavedModel plus its {@code segstream-model.json}, checked against
 * the model contract at load time. {@link #predict} turns a batch of RGB images into plain
 * probability arrays with one session call; every tensor it makes is closed before it returns.
 *
 * <p>Thread-safe: the TensorFlow session is, and this class keeps no state that changes per call.
 */
public final class SegmentationModel implements AutoCloseable {
  public static final String TAG = "serve";
  public static final String SIGNATURE = "serving_default";
  public static final String INPUT = "image";
  public static final String OUTPUT = "probabilities";
  public static final String SAVED_MODEL_FILE = "saved_model.pb";

  private final Path dir;
  private final ModelMetadata metadata;
  private final SavedModelBundle bundle;
  private final SessionFunction function;
  private final long parameterCount;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SegmentationModel(Path dir, ModelMetadata metadata, SavedModelBundle bundle, SessionFunction function) {
    this.dir = dir;
    this.metadata = metadata;
    this.bundle = bundle;
    this.function = function;
    this.parameterCount = countParameters(bundle);
  }

  /** Loads with the default thread settings. */
  public static SegmentationModel load(Path dir) {
    return load(dir, ModelSettings.DEFAULT);
  }

  /**
   * Loads and validates a model directory.
   *
   * @throws ModelLoadException when the directory breaks the model contract; the message says how
   */
  public static SegmentationModel load(Path dir, ModelSettings options) {
    Path abs = dir.toAbsolutePath().normalize();
    String fix = " (a model directory holds " + SAVED_MODEL_FILE + ", variables/ and " + ModelMetadata.FILE_NAME
        + ", as written by 'segstream train')";
    if (!Files.isDirectory(abs)) {
      throw new ModelLoadException("model directory " + abs + " does not exist: give an existing model directory" + fix);
    }
    Path metadataFile = abs.resolve(ModelMetadata.FILE_NAME);
    if (!Files.isRegularFile(metadataFile)) {
      throw new ModelLoadException("model directory " + abs + " has no " + ModelMetadata.FILE_NAME
          + ": copy the metadata written beside the SavedModel by 'segstream train' into it" + fix);
    }
    if (!Files.isRegularFile(abs.resolve(SAVED_MODEL_FILE))) {
      throw new ModelLoadException("model directory " + abs + " has no " + SAVED_MODEL_FILE
          + ": give the directory that holds the exported SavedModel" + fix);
    }
    ModelMetadata metadata;
    try {
      metadata = ModelMetadata.read(metadataFile);
    } catch (IOException | IllegalArgumentException e) {
      throw new ModelLoadException(
          "cannot read " + metadataFile + ": " + e.getMessage() + "; rewrite it as 'segstream train' does", e);
    }
    if (!ModelMetadata.RGB01.equals(metadata.preprocessing())) {
      throw new ModelLoadException("model " + abs + " asks for preprocessing '" + metadata.preprocessing()
          + "', but only '" + ModelMetadata.RGB01 + "' is supported: re-export the model with RGB scaled to [0, 1]");
    }

    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.loader(abs.toString()).withTags(TAG).withConfigProto(config(options)).load();
    } catch (TensorFlowException e) {
      throw new ModelLoadException("cannot load the SavedModel in " + abs + " with tag '" + TAG + "': "
          + firstLine(e.getMessage()) + "; export it with tag '" + TAG + "'", e);
    }
    try {
      SessionFunction function = checkSignature(abs, metadata, bundle);
      SegmentationModel model = new SegmentationModel(abs, metadata, bundle, function);
      model.checkClassCount();
      return model;
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  public ModelMetadata metadata() {
    return metadata;
  }

  public Path directory() {
    return dir;
  }

  /** Trainable and statistics values held in the SavedModel's variables, counted from the graph. */
  public long parameterCount() {
    return parameterCount;
  }

  /**
   * Runs one batch. All images must share one size (any size: the model's height and width are
   * dynamic); the processor passes images already resized to the model's input size.
   *
   * @return one probability map per image, at the images' size, in batch order
   */
  public List<ProbabilityMap> predict(List<RgbImage> batch) {
    if (closed.get()) {
      throw new IllegalStateException("model " + dir + " is closed");
    }
    if (batch.isEmpty()) {
      return List.of();
    }
    int width = batch.get(0).width();
    int height = batch.get(0).height();
    for (RgbImage image : batch) {
      if (image.width() != width || image.height() != height) {
        throw new IllegalArgumentException("one batch needs one image size: got " + width + "x" + height + " and "
            + image.width() + "x" + image.height() + "; resize the frames to the model's input size first");
      }
    }
    int n = batch.size();
    int pixels = width * height;
    int classes = metadata.classCount();
    List<ProbabilityMap> maps = new ArrayList<>(n);
    // images are scaled straight into the tensor's memory and each map read straight out of the result: a float
    // array of the whole batch each way, and the copies between them, were 9 % of predict's time
    try (TFloat32 tensor = TFloat32.tensorOf(Shape.of(n, height, width, 3))) {
      FloatDataBuffer input = tensor.asRawTensor().data().asFloats();
      float[] scaled = new float[pixels * 3];
      for (int b = 0; b < n; b++) {
        byte[] rgb = batch.get(b).rgb();
        for (int i = 0; i < rgb.length; i++) {
          scaled[i] = (rgb[i] & 0xff) * (1f / 255f);
        }
        input.offset((long) b * scaled.length).write(scaled);
      }
      try (Result result = function.call(Map.of(INPUT, tensor))) {
        Tensor probabilities = result.get(OUTPUT).orElseThrow(
            () -> new IllegalStateException("model " + dir + " returned no '" + OUTPUT + "' output"));
        Shape shape = probabilities.shape();
        if (!shape.equals(Shape.of(n, height, width, classes))) {
          throw new IllegalStateException("model " + dir + " returned shape " + shape + " for input [" + n + ", "
              + height + ", " + width + ", 3]; expected [" + n + ", " + height + ", " + width + ", " + classes + "]");
        }
        FloatDataBuffer output = probabilities.asRawTensor().data().asFloats();
        int per = pixels * classes;
        for (int b = 0; b < n; b++) {
          float[] values = new float[per];
          output.offset((long) b * per).read(values);
          maps.add(new ProbabilityMap(width, height, classes, values));
        }
      }
    }
    return maps;
  }

  @Override
  public void close() {
    // Session.close waits for calls in flight, so a concurrent predict finishes first.
    if (closed.compareAndSet(false, true)) {
      bundle.close();
    }
  }

  private static ConfigProto config(ModelSettings options) {
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(options.intraOpThreads())
        .setInterOpParallelismThreads(options.interOpThreads())
        .build();
  }

  private static SessionFunction checkSignature(Path dir, ModelMetadata metadata, SavedModelBundle bundle) {
    Signature signature = bundle.signatures().stream()
        .filter(s -> s.key().equals(SIGNATURE))
        .findFirst()
        .orElseThrow(() -> new ModelLoadException("the SavedModel in " + dir + " has no '" + SIGNATURE
            + "' signature (it has " + bundle.signatures().stream().map(Signature::key).toList()
            + "): export it with signature '" + SIGNATURE + "'"));
    Signature.TensorDescription input = signature.getInputs().get(INPUT);
    if (input == null) {
      throw new ModelLoadException("the '" + SIGNATURE + "' signature of " + dir + " has no input '" + INPUT
          + "' (it has " + signature.inputNames() + "): export the model with its input named '" + INPUT
          + "', float32 [batch, height, width, 3]");
    }
    if (signature.getOutputs().get(OUTPUT) == null) {
      throw new ModelLoadException("the '" + SIGNATURE + "' signature of " + dir + " has no output '" + OUTPUT
          + "' (it has " + signature.outputNames() + "): export the model with its softmax output named '"
          + OUTPUT + "', float32 [batch, height, width, classes]");
    }
    if (input.dataType != DataType.DT_FLOAT) {
      throw new ModelLoadException("input '" + INPUT + "' of " + dir + " is " + input.dataType
          + ", the contract says float32 RGB in [0, 1]: re-export the model with a float32 input");
    }
    Shape inputShape = input.shape;
    // rank 0 here is how TensorFlow Java reports an unknown rank; -1 sizes are dynamic
    if (!inputShape.isUnknown() && inputShape.numDimensions() > 0
        && (inputShape.numDimensions() != 4 || (inputShape.size(3) != 3 && inputShape.size(3) >= 0))) {
      throw new ModelLoadException("input '" + INPUT + "' of " + dir + " has shape " + inputShape
          + ", the contract says [batch, height, width, 3]: re-export the model");
    }
    return bundle.function(SIGNATURE);
  }

  /** Compares the output's class axis with the metadata, by a tiny probe run when the graph leaves it open. */
  private void checkClassCount() {
    Shape declared = function.signature().getOutputs().get(OUTPUT).shape;
    long classes;
    if (!declared.isUnknown() && declared.numDimensions() == 4 && declared.size(3) > 0) {
      classes = declared.size(3);
    } else {
      int side = 16;
      try (TFloat32 probe = TFloat32.tensorOf(Shape.of(1, side, side, 3));
          Result result = function.call(Map.of(INPUT, probe))) {
        Shape shape = result.get(OUTPUT).orElseThrow().shape();
        classes = shape.numDimensions() == 4 ? shape.size(3) : -1;
      } catch (TensorFlowException e) {
        throw new ModelLoadException("the model in " + dir + " fails on a 1x16x16x3 probe input: "
            + firstLine(e.getMessage()) + "; check that its height and width are dynamic", e);
      }
    }
    if (classes != metadata.classCount()) {
      throw new ModelLoadException("the model in " + dir + " outputs " + classes + " classes but "
          + ModelMetadata.FILE_NAME + " names " + metadata.classCount() + " " + metadata.classNames()
          + ": fix classNames in the metadata or export the matching model");
    }
  }

  private static long countParameters(SavedModelBundle bundle) {
    long total = 0;
    Iterator<GraphOperation> ops = bundle.graph().operations();
    while (ops.hasNext()) {
      GraphOperation op = ops.next();
      if (op.type().equals("VariableV2") || op.type().equals("VarHandleOp")) {
        Shape shape = op.type().equals("VariableV2")
            ? op.output(0).shape()
            : op.attributes().getAttrShape("shape");
        if (!shape.isUnknown() && !shape.hasUnknownDimension()) {
          total += shape.size();
        }
      }
    }
    return total;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).strip();
  }
}
