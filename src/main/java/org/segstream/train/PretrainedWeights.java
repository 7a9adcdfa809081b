package org.segstream.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.segstream.config.InvalidSettingException;
import org.tensorflow.ndarray.Shape;

/**
 * Pretrained float32 arrays by layer and role ({@code weight} or {@code bias}): a {@code manifest.json}
 * naming each array's shape and byte offset in a little-endian {@code weights.bin}. The jar carries
 * ImageNet-trained MobileNetV2 weights in this form ({@link #bundledMobileNetV2}).
 */
final class PretrainedWeights {
  /** The classpath folder of the bundled MobileNetV2 1.0 ImageNet weights (their README says where they come from). */
  static final String BUNDLED_MOBILENET_V2 = "/pretrained/mobilenet-v2-1.0-imagenet/";
  static final String MANIFEST = "manifest.json";
  static final String WEIGHTS = "weights.bin";

  private record Key(String layer, String role) {}

  /** An array of the weights file, one of the manifest's tensors. */
  record Array(Shape shape, float[] values) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  private record Manifest(List<Entry> tensors) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  private record Entry(String layer, String role, long[] shape, long offset, int count) {}

  private static volatile PretrainedWeights bundled;

  private final String source;
  private final Map<Key, Array> arrays;

  private PretrainedWeights(String source, Map<Key, Array> arrays) {
    this.source = source;
    this.arrays = arrays;
  }

  /** The MobileNetV2 weights inside the jar, read once. */
  static PretrainedWeights bundledMobileNetV2() {
    PretrainedWeights w = bundled;
    if (w == null) {
      synchronized (PretrainedWeights.class) {
        w = bundled;
        if (w == null) {
          try (InputStream manifest = resource(MANIFEST); InputStream weights = resource(WEIGHTS)) {
            w = read("classpath:" + BUNDLED_MOBILENET_V2, manifest.readAllBytes(), weights.readAllBytes());
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled MobileNetV2 weights: " + e.getMessage(), e);
          }
          bundled = w;
        }
      }
    }
    return w;
  }

  /** Weights from a folder holding {@code manifest.json} and {@code weights.bin}. */
  static PretrainedWeights fromDirectory(Path dir) {
    Path manifest = dir.resolve(MANIFEST);
    Path weights = dir.resolve(WEIGHTS);
    if (!Files.isRegularFile(manifest) || !Files.isRegularFile(weights)) {
      throw new InvalidSettingException("pretrained", "the pretrained weights folder " + dir + " needs " + MANIFEST
          + " and " + WEIGHTS + " (like ../shared/data/pretrained/mobilenet-v2-1.0-imagenet)");
    }
    try {
      return read(dir.toString(), Files.readAllBytes(manifest), Files.readAllBytes(weights));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the pretrained weights in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static InputStream resource(String file) {
    InputStream in = PretrainedWeights.class.getResourceAsStream(BUNDLED_MOBILENET_V2 + file);
    if (in == null) {
      throw new IllegalStateException("the jar has no " + BUNDLED_MOBILENET_V2 + file + ": rebuild it with mvn package");
    }
    return in;
  }

  static PretrainedWeights read(String source, byte[] manifestJson, byte[] weights) throws IOException {
    Manifest manifest = new ObjectMapper().readValue(manifestJson, Manifest.class);
    if (manifest.tensors() == null || manifest.tensors().isEmpty()) {
      throw new IOException(source + ": the manifest lists no tensors");
    }
    ByteBuffer buffer = ByteBuffer.wrap(weights).order(ByteOrder.LITTLE_ENDIAN);
    Map<Key, Array> arrays = new HashMap<>();
    for (Entry e : manifest.tensors()) {
      Shape shape = Shape.of(e.shape());
      if (shape.size() != e.count() || e.offset() < 0 || e.offset() + 4L * e.count() > weights.length) {
        throw new IOException(source + ": tensor " + e.layer() + "/" + e.role() + " (shape " + shape + ", " + e.count()
            + " values at byte " + e.offset() + ") does not fit the " + weights.length + "-byte weights file");
      }
      float[] values = new float[e.count()];
      buffer.position((int) e.offset());
      buffer.asFloatBuffer().get(values);
      arrays.put(new Key(e.layer(), e.role()), new Array(shape, values));
    }
    return new PretrainedWeights(source, Map.copyOf(arrays));
  }

  /** The array of {@code layer}'s {@code role}, checked against the shape the graph expects. */
  Array get(String layer, String role, Shape expected) {
    Array a = arrays.get(new Key(layer, role));
    if (a == null) {
      throw new IllegalStateException(source + " has no " + role + " for layer " + layer);
    }
    if (!a.shape().equals(expected)) {
      throw new IllegalStateException(source + ": " + layer + "/" + role + " has shape " + a.shape() + ", the graph needs "
          + expected);
    }
    return a;
  }
}
