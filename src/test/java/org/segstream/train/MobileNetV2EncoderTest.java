package org.segstream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.segstream.image.ImageCodec;
import org.segstream.image.RgbImage;
import org.segstream.testing.SharedData;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The encoder built from the bundled weights is MobileNetV2: with its ImageNet head it names the
 * breeds of pet photos as the numpy reference forward pass beside the weights does (top-1 0.79,
 * top-5 1.00 on the same 48 photos: two of each of 24 breeds that ImageNet has).
 */
class MobileNetV2EncoderTest {
  /** Oxford breed → ImageNet class (1..1000; logits index 0 is background), as in reference_forward.py. */
  private static final Map<String, Integer> IMAGENET = new LinkedHashMap<>();

  static {
    Object[] pairs = {"chihuahua", 151, "japanese_chin", 152, "basset_hound", 161, "beagle", 162,
        "staffordshire_bull_terrier", 179, "american_pit_bull_terrier", 180, "yorkshire_terrier", 187,
        "scottish_terrier", 199, "wheaten_terrier", 202, "german_shorthaired", 210, "english_setter", 212,
        "english_cocker_spaniel", 219, "miniature_pinscher", 237, "boxer", 242, "saint_bernard", 247, "pug", 254,
        "leonberger", 255, "newfoundland", 256, "great_pyrenees", 257, "samoyed", 258, "pomeranian", 259,
        "keeshond", 261, "Siamese", 284, "Persian", 283};
    for (int i = 0; i < pairs.length; i += 2) {
      IMAGENET.put((String) pairs[i], (Integer) pairs[i + 1]);
    }
  }

  @Test
  void theBundledWeightsClassifyPetPhotosLikeTheReferenceForwardPass() throws IOException {
    Path images = SharedData.path("oxford-pets/images");
    List<RgbImage> photos = new ArrayList<>();
    List<Integer> truth = new ArrayList<>();
    for (Map.Entry<String, Integer> breed : IMAGENET.entrySet()) {
      try (Stream<Path> files = Files.list(images)) {
        List<Path> two = files.filter(f -> f.getFileName().toString().matches(breed.getKey() + "_\\d+\\.jpg"))
            .sorted().limit(2).toList();
        for (Path f : two) {
          photos.add(ImageCodec.resizeBilinear(ImageCodec.decode(Files.readAllBytes(f)), 224, 224));
          truth.add(breed.getValue());
        }
      }
    }
    assertEquals(48, photos.size(), "two photos of each of the 24 breeds");
    float[] logits = imagenetLogits(photos);
    int top1 = 0;
    int top5 = 0;
    for (int i = 0; i < photos.size(); i++) {
      int[] best = top(logits, i * 1001, 1001, 5);
      // index 0 of the logits is "background": ImageNet class k is logit k + 1
      top1 += best[0] - 1 == truth.get(i) ? 1 : 0;
      for (int b : best) {
        top5 += b - 1 == truth.get(i) ? 1 : 0;
      }
    }
    double share1 = top1 / 48.0;
    double share5 = top5 / 48.0;
    assertTrue(share5 >= 0.95, "top-5 " + share5 + " (reference 1.00)");
    assertTrue(share1 >= 0.7, "top-1 " + share1 + " (reference 0.79)");
  }

  @Test
  void theEncoderCountsMatchItsVariables() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      List<Variable<TFloat32>> made = new ArrayList<>();
      MobileNetV2Encoder encoder = new MobileNetV2Encoder(tf, (name, shape, initial) -> {
        assertEquals(shape.size(), initial.length, name);
        Variable<TFloat32> v = tf.withName(name).variable(shape, TFloat32.class);
        made.add(v);
        return v;
      }, PretrainedWeights.bundledMobileNetV2());
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 3)));
      MobileNetV2Encoder.Features f = encoder.features(x);
      assertEquals(4, f.skips().size());
      assertEquals(320, f.deepestChannels());
      long total = made.stream().mapToLong(v -> v.shape().size()).sum();
      assertEquals(MobileNetV2Encoder.parameterCount(MobileNetV2Encoder.DEEPEST_BLOCK), total);
      // 17 blocks: 16 with expand/depthwise/project, block 1 without expand; plus the stem; weight and bias each
      assertEquals(2 * (1 + 16 * 3 + 2), made.size());
    }
  }

  @Test
  void eachMobileNetV2UNetCountsItsVariablesAndAnswersAtTheInputSize() {
    for (Architecture arch : Architecture.values()) {
      if (!arch.mobileNetV2()) {
        continue;
      }
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g);
        UNet net = new UNet(tf, arch, 3, 7L, null);
        Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 3)));
        Operand<TFloat32> logits = net.logits(x, UNet.Mode.INFERENCE);
        long total = net.variables().stream().mapToLong(v -> v.shape().size()).sum();
        assertEquals(UNet.parameterCount(arch, 3), total, arch.id());
        Operand<TFloat32> probabilities = net.probabilities(x, UNet.Mode.INFERENCE);
        try (Session s = new Session(g); TFloat32 in = TFloat32.tensorOf(Shape.of(1, 160, 288, 3))) {
          s.initialize();
          try (Result r = s.runner().feed(x, in).fetch(logits).run()) {
            assertEquals(Shape.of(1, 160, 288, 3), r.get(0).shape(), arch.id());
          }
        }
        // the probabilities, taken at the decoder's resolution and resized, are at the input's exact (odd) size and
        // still sum to 1 at every pixel
        try (Session s = new Session(g); TFloat32 in = TFloat32.tensorOf(Shape.of(2, 93, 127, 3))) {
          s.initialize();
          try (Result r = s.runner().feed(x, in).fetch(probabilities).run()) {
            assertEquals(Shape.of(2, 93, 127, 3), r.get(0).shape(), arch.id());
            float[] p = new float[2 * 93 * 127 * 3];
            r.get(0).asRawTensor().data().asFloats().read(p);
            for (int i = 0; i < p.length; i += 3) {
              assertEquals(1f, p[i] + p[i + 1] + p[i + 2], 1e-5, arch.id() + " pixel " + i / 3);
              assertTrue(p[i] >= 0 && p[i + 1] >= 0 && p[i + 2] >= 0, arch.id() + " pixel " + i / 3);
            }
          }
        }
      }
    }
    // the cut encoder at 288×160 costs about what the whole one does at 224×128
    long cut = UNet.macsPerFrame(Architecture.MOBILENET_V2_UNET_S16, 3, 288, 160);
    long whole = UNet.macsPerFrame(Architecture.MOBILENET_V2_UNET, 3, 224, 128);
    assertTrue(cut < 1.15 * whole && cut > 0.9 * whole, cut + " against " + whole);
  }

  private static float[] imagenetLogits(List<RgbImage> photos) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 224, 224, 3)));
      MobileNetV2Encoder encoder = new MobileNetV2Encoder(tf,
          (name, shape, initial) -> tf.withName(name).variable(tf.constant(shape, DataBuffers.of(initial, true, false))),
          PretrainedWeights.bundledMobileNetV2());
      Operand<TFloat32> logits = encoder.imagenetLogits(x);
      float[] input = new float[photos.size() * 224 * 224 * 3];
      int o = 0;
      for (RgbImage p : photos) {
        for (byte b : p.rgb()) {
          input[o++] = (b & 0xff) / 255f;
        }
      }
      float[] out = new float[photos.size() * 1001];
      try (Session s = new Session(g);
          TFloat32 in = TFloat32.tensorOf(Shape.of(photos.size(), 224, 224, 3), DataBuffers.of(input, true, false))) {
        s.initialize();
        try (Result r = s.runner().feed(x, in).fetch(logits).run()) {
          r.get(0).asRawTensor().data().asFloats().read(out);
        }
      }
      return out;
    }
  }

  private static int[] top(float[] values, int from, int n, int k) {
    int[] best = new int[k];
    boolean[] taken = new boolean[n];
    for (int j = 0; j < k; j++) {
      int arg = -1;
      for (int i = 0; i < n; i++) {
        if (!taken[i] && (arg < 0 || values[from + i] > values[from + arg])) {
          arg = i;
        }
      }
      taken[arg] = true;
      best[j] = arg;
    }
    return best;
  }
}
