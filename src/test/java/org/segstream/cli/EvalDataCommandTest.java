package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.image.ProbabilityMap;
import org.segstream.image.Resampling;
import org.segstream.image.RgbImage;
import org.segstream.metrics.BoundaryF;
import org.segstream.metrics.ConfusionMatrix;
import org.segstream.model.ModelMetadata;
import org.segstream.model.SegmentationModel;
import org.segstream.synth.LabelledImage;
import org.segstream.synth.SyntheticScenes;
import org.segstream.testing.TestModels;

/** {@code segstream eval --data} on a small generated set in the Oxford-IIIT Pet layout, with its real-world faults. */
class EvalDataCommandTest {
  @TempDir static Path dir;
  static Path data;
  static Path model;
  static List<String> validationNames;

  @BeforeAll
  static void generateDataset() throws Exception {
    model = TestModels.tiny();
    validationNames = ModelMetadata.read(model.resolve(ModelMetadata.FILE_NAME)).trainedOn().validationNames();
    data = dir.resolve("pets");
    Path images = Files.createDirectories(data.resolve("images"));
    Path trimaps = Files.createDirectories(data.resolve("annotations").resolve("trimaps"));
    SyntheticScenes scenes = new SyntheticScenes(11);
    for (int i = 0; i < 11; i++) {
      // sizes vary as in the real set; two pairs carry names of the model's validation set
      LabelledImage scene = scenes.next(80 + 8 * i, 64 + 4 * (i % 3));
      String name = i < 2 ? validationNames.get(i) : "scene_" + i;
      if (i == 3) {
        writeRgbaPng(images.resolve(name + ".jpg"), scene.image()); // an RGBA PNG named .jpg: decoded, alpha dropped
      } else {
        Files.write(images.resolve(name + ".jpg"), ImageCodec.encodeJpeg(scene.image(), 95));
      }
      Files.write(trimaps.resolve(name + ".png"), ImageCodec.encodePngGray(trimap(scene.truth())));
    }
    // not an image at all: skipped with its reason, never fatal
    Files.writeString(images.resolve("broken_1.jpg"), "GIF89a but not really", StandardCharsets.US_ASCII);
    Files.write(trimaps.resolve("broken_1.png"), ImageCodec.encodePngGray(new LabelMap(2, 2, new byte[] {2, 2, 2, 2})));
    // an image without a trimap is not part of the set
    Files.write(images.resolve("lonely.jpg"), ImageCodec.encodeJpeg(scenes.next(32, 32).image(), 90));
  }

  @Test
  void reproducesTheMetricsComputedDirectly() throws Exception {
    Path out = dir.resolve("all");
    var r = SegstreamCliTest.run("eval", "--data", data.toString(), "--split", "all", "--refine", "off", "--model", model.toString(),
        "--out", out.toString(), "--batch-size", "4");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertEquals(12, report.get("images").asInt(), "11 scenes + the broken one; the image without a trimap is left out");
    JsonNode run = report.get("runs").get("off");
    assertEquals(11, run.get("scored").asInt());
    assertEquals(1, run.get("skipped").size());
    assertEquals("broken_1", run.get("skipped").get(0).get("name").asText());
    assertTrue(run.get("skipped").get(0).get("reason").asText().contains("DECODE"), run.toString());

    // the same figures straight from the model: decode, stretch to the input size, predict, upsample, argmax
    ConfusionMatrix confusion = new ConfusionMatrix(3);
    BoundaryF boundaryF = new BoundaryF(2);
    List<Path> images = new ArrayList<>();
    try (var list = Files.list(data.resolve("images"))) {
      list.filter(p -> !p.getFileName().toString().startsWith("broken") && !p.getFileName().toString().startsWith("lonely"))
          .sorted().forEach(images::add);
    }
    try (SegmentationModel m = SegmentationModel.load(model)) {
      ModelMetadata meta = m.metadata();
      for (int from = 0; from < images.size(); from += 4) {
        List<RgbImage> frames = new ArrayList<>();
        List<RgbImage> batch = new ArrayList<>();
        for (Path p : images.subList(from, Math.min(images.size(), from + 4))) {
          RgbImage image = ImageCodec.decode(Files.readAllBytes(p));
          frames.add(image);
          batch.add(ImageCodec.resizeBilinear(image, meta.inputWidth(), meta.inputHeight()));
        }
        List<ProbabilityMap> probabilities = m.predict(batch);
        for (int b = 0; b < frames.size(); b++) {
          Path image = images.get(from + b);
          String stem = image.getFileName().toString().replace(".jpg", "");
          LabelMap trimap = ImageCodec.decodePngGray(Files.readAllBytes(data.resolve("annotations/trimaps/" + stem + ".png")));
          LabelMap truth = minusOne(trimap);
          LabelMap predicted = Resampling.bilinear(probabilities.get(b), frames.get(b).width(), frames.get(b).height()).argmax();
          confusion.add(truth, predicted);
          boundaryF.add(truth, predicted);
        }
      }
    }
    JsonNode accuracy = run.get("accuracy");
    assertEquals(confusion.meanIoU(), accuracy.get("mIoU").asDouble(), 1e-9);
    assertEquals(confusion.pixelAccuracy(), accuracy.get("pixelAccuracy").asDouble(), 1e-9);
    assertEquals(confusion.foregroundIoU(1), accuracy.get("foregroundIoU").asDouble(), 1e-9);
    assertEquals(confusion.iou(2), accuracy.get("perClassIoU").get("border").asDouble(), 1e-9);
    assertEquals(confusion.dice(0), accuracy.get("dice").get("object").asDouble(), 1e-9);
    assertEquals(boundaryF.mean(), accuracy.get("boundaryF").asDouble(), 1e-9);
    assertTrue(Files.size(out.resolve("contact-sheet.png")) > 0);
    assertTrue(Files.size(out.resolve("stages.png")) > 0);
    assertTrue(Files.readString(out.resolve("report.md")).contains("broken_1"), "the skipped file is named in the report");
    assertTrue(r.out().contains("mIoU"), r.out());
  }

  @Test
  void validationSplitScoresExactlyTheModelsValidationNames() throws Exception {
    Path out = dir.resolve("val");
    var r = SegstreamCliTest.run("eval", "--data", data.toString(), "--refine", "both", "--model", model.toString(), "--out", out.toString());
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertEquals(2, report.get("images").asInt());
    for (String mode : List.of("off", "crf")) {
      JsonNode run = report.get("runs").get(mode);
      assertEquals(2, run.get("scored").asInt(), mode);
      List<String> names = new ArrayList<>();
      run.get("perImage").forEach(n -> names.add(n.get("name").asText()));
      assertEquals(validationNames.subList(0, 2).stream().sorted().toList(), names.stream().sorted().toList());
      double miou = run.get("accuracy").get("mIoU").asDouble();
      assertTrue(miou >= 0 && miou <= 1, mode + " mIoU " + miou);
    }
    assertTrue(report.get("runs").get("crf").get("meanStageMs").get("refine").asDouble() > 0);
  }

  @Test
  void minMiouAboveOneFailsTheGateWithExitThreeAndStillWritesTheReport() throws Exception {
    Path out = dir.resolve("gate");
    var r = SegstreamCliTest.run("eval", "--data", data.toString(), "--split", "all", "--refine", "off", "--model", model.toString(),
        "--out", out.toString(), "--min-miou", "1.01");
    assertEquals(ExitCodes.QUALITY_GATE, r.exitCode(), r.err());
    assertTrue(r.err().contains("--min-miou 1.01"), r.err());
    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertEquals(false, report.get("gate").get("passed").asBoolean());
  }

  @Test
  void usageErrors() {
    assertEquals(ExitCodes.USAGE, SegstreamCliTest.run("eval", "--model", model.toString()).exitCode(), "neither --input nor --data");
    assertEquals(ExitCodes.USAGE, SegstreamCliTest.run("eval", "--model", model.toString(), "--input", data.toString()).exitCode(),
        "--input without --ground-truth");
    var noMetadataNames = SegstreamCliTest.run("eval", "--model", model.toString(), "--data", dir.resolve("nope").toString());
    assertEquals(ExitCodes.USAGE, noMetadataNames.exitCode());
    assertEquals(ExitCodes.USAGE,
        SegstreamCliTest.run("process", "--refine", "both", "--model", model.toString()).exitCode(), "--refine both is for eval only");
  }

  private static LabelMap trimap(LabelMap labels) {
    byte[] out = new byte[labels.labels().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (labels.labels()[i] + 1);
    }
    return new LabelMap(labels.width(), labels.height(), out);
  }

  private static LabelMap minusOne(LabelMap trimap) {
    byte[] out = new byte[trimap.labels().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (trimap.labels()[i] - 1);
    }
    return new LabelMap(trimap.width(), trimap.height(), out);
  }

  private static void writeRgbaPng(Path file, RgbImage image) throws Exception {
    BufferedImage rgba = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_ARGB);
    byte[] rgb = image.rgb();
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        int p = 3 * (y * image.width() + x);
        rgba.setRGB(x, y, 0x80 << 24 | (rgb[p] & 0xff) << 16 | (rgb[p + 1] & 0xff) << 8 | (rgb[p + 2] & 0xff));
      }
    }
    ImageIO.write(rgba, "png", file.toFile());
  }
}
