package org.segstream.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.segstream.config.InvalidSettingException;
import org.segstream.image.ImageCodec;
import org.segstream.image.ProbabilityMap;
import org.segstream.image.Resampling;
import org.segstream.image.RgbImage;
import org.segstream.model.InputGeometry;
import org.segstream.model.SegmentationModel;

/** The inputs {@link CrfBenchmark} times: the reference scenes, one upscaled, and optionally a photo. */
final class CrfScenes {
  private static final int CLASSES = 3;

  private CrfScenes() {}

  /** An image and the probabilities the CRF refines, named for the table. */
  record Scene(String name, RgbImage image, ProbabilityMap probabilities) {
    String size() {
      return image.width() + "x" + image.height();
    }
  }

  /** A reference scene: image.rgb and the unary turned back into probabilities, softmax(−U). */
  static Scene reference(Path referenceDir, String name, int width, int height) throws IOException {
    Path dir = referenceDir.resolve(name);
    Path rgbFile = dir.resolve("image.rgb");
    Path unaryFile = dir.resolve("unary.f32");
    if (!Files.isRegularFile(rgbFile) || !Files.isRegularFile(unaryFile)) {
      throw new InvalidSettingException("reference-dir", "no dense-CRF reference scene in " + dir.toAbsolutePath()
          + " (needs image.rgb and unary.f32): point the reference directory at shared/data/crf-reference");
    }
    RgbImage image = new RgbImage(width, height, Files.readAllBytes(rgbFile));
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(unaryFile)).order(ByteOrder.LITTLE_ENDIAN);
    float[] p = new float[bytes.remaining() / 4];
    if (p.length != width * height * CLASSES) {
      throw new InvalidSettingException("reference-dir",
          unaryFile + " holds " + p.length + " floats, expected " + width * height * CLASSES);
    }
    bytes.asFloatBuffer().get(p);
    for (int i = 0; i < p.length; i += CLASSES) {
      float min = Math.min(p[i], Math.min(p[i + 1], p[i + 2]));
      float sum = 0;
      for (int k = 0; k < CLASSES; k++) {
        p[i + k] = (float) Math.exp(min - p[i + k]);
        sum += p[i + k];
      }
      for (int k = 0; k < CLASSES; k++) {
        p[i + k] /= sum;
      }
    }
    return new Scene("crf-reference/" + name, image, new ProbabilityMap(width, height, CLASSES, p));
  }

  /** A photo scaled to {@code longSide}, with the model's probabilities upsampled to it (uniform without a model). */
  static Scene photo(Path file, SegmentationModel model, int longSide) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new InvalidSettingException("image", file + " is not a readable file: give a JPEG or PNG photo");
    }
    RgbImage photo;
    try {
      photo = ImageCodec.decode(Files.readAllBytes(file));
    } catch (RuntimeException e) {
      throw new InvalidSettingException("image", file + " could not be decoded as an image (" + e.getMessage() + ")", e);
    }
    int[] size = Resampling.capLongSide(photo.width(), photo.height(), longSide);
    RgbImage small = ImageCodec.resizeBilinear(photo, size[0], size[1]);
    ProbabilityMap probabilities;
    if (model == null) {
      float[] uniform = new float[CLASSES * size[0] * size[1]];
      Arrays.fill(uniform, 1f / CLASSES);
      probabilities = new ProbabilityMap(size[0], size[1], CLASSES, uniform);
    } else {
      if (model.metadata().classNames().size() != CLASSES) {
        throw new InvalidSettingException("image", "the photo is timed with " + CLASSES + " classes; model "
            + model.metadata().name() + " has " + model.metadata().classNames().size());
      }
      InputGeometry.Size inputSize = InputGeometry.of(model.metadata()).sizeFor(photo.width(), photo.height());
      RgbImage input = ImageCodec.resizeBilinear(photo, inputSize.width(), inputSize.height());
      probabilities = Resampling.bilinear(model.predict(List.of(input)).get(0), size[0], size[1]);
    }
    return new Scene(file.getFileName().toString(), small, probabilities);
  }

  /** Nearest-neighbour upscaling of image and probabilities by an integer factor. */
  static Scene upscale(Scene scene, int factor, String name) {
    RgbImage src = scene.image();
    ProbabilityMap probs = scene.probabilities();
    int classes = probs.classes();
    int w = src.width() * factor;
    int h = src.height() * factor;
    byte[] rgb = new byte[3 * w * h];
    float[] p = new float[classes * w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int from = (y / factor) * src.width() + x / factor;
        int to = y * w + x;
        System.arraycopy(src.rgb(), 3 * from, rgb, 3 * to, 3);
        System.arraycopy(probs.values(), classes * from, p, classes * to, classes);
      }
    }
    return new Scene(name, new RgbImage(w, h, rgb), new ProbabilityMap(w, h, classes, p));
  }
}
