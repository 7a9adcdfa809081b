package org.segstream.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.segstream.dataset.GroundTruthFormat;
import org.segstream.demo.DemoResult;
import org.segstream.eval.DatasetRequest;
import org.segstream.eval.DatasetResult;
import org.segstream.eval.PredictedFrame;
import org.segstream.eval.PredictedFrames;
import org.segstream.eval.QualityGate;
import org.segstream.eval.ReplayModeResult;
import org.segstream.eval.ReplayResult;
import org.segstream.eval.ReplayScorer;
import org.segstream.eval.ReplayStatistics;
import org.segstream.eval.RunHeader;
import org.segstream.eval.Sample;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;
import org.segstream.ingest.Pacing;
import org.segstream.metrics.IdentityScores;
import org.segstream.metrics.LatencySummary;
import org.segstream.metrics.ScoreAccumulator;
import org.segstream.metrics.Scores;
import org.segstream.model.ModelMetadata;
import org.segstream.scoring.PairScorer;
import org.segstream.video.VideoWriterTest;

/** The report writers on hand-made result records: keys, tables, gate, files and overlay frames. */
class EvaluationReportTest {
  private static final int W = 64;
  private static final int H = 48;
  private static final RunHeader HEADER = new RunHeader("segstream eval --test", "2024-01-01T00:00:00Z", "test machine, 2 cores");
  private static final ModelMetadata MODEL = new ModelMetadata("tiny", "1", "unet-small", 32, 32, List.of("background", "object"), 0,
      ModelMetadata.RGB01, 10, 100, 1.0, "m", null, null, "train", "2024-01-01T00:00:00Z");

  @TempDir Path dir;

  /** A frame's truth: the left half is the object. */
  private static LabelMap halves() {
    byte[] l = new byte[W * H];
    for (int i = 0; i < l.length; i++) {
      l[i] = (byte) (i % W < W / 2 ? 1 : 0);
    }
    return new LabelMap(W, H, l);
  }

  private static Scores scores(int frames) {
    ScoreAccumulator acc = new ScoreAccumulator(MODEL.classNames(), 0, 2);
    for (int i = 0; i < frames; i++) {
      acc.addToSequence(halves());
      acc.add(i, halves(), halves());
    }
    return acc.scores();
  }

  private static Sample sample(String caption, List<String> modes) {
    Map<String, LabelMap> predictions = new LinkedHashMap<>();
    modes.forEach(m -> predictions.put(m, halves()));
    return new Sample(caption, RgbImage.blank(W, H), halves(), predictions);
  }

  /** {@code count} frames; those in {@code predicted} have a prediction of the frame's size. */
  private static PredictedFrames frames(int count, List<Integer> predicted) {
    return new PredictedFrames() {
      public int width() {
        return W;
      }

      public int height() {
        return H;
      }

      public double fps() {
        return 10;
      }

      public void forEach(Consumer<PredictedFrame> action) {
        for (int i = 0; i < count; i++) {
          LabelMap labels = predicted.contains(i) ? halves() : null;
          action.accept(new PredictedFrame(i, RgbImage.blank(W, H), halves(), labels, List.of()));
        }
      }
    };
  }

  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  static Stream<Arguments> gates() {
    return Stream.of(
        Arguments.of(null, null),
        Arguments.of(0.5, true),
        Arguments.of(1.5, false));
  }

  @ParameterizedTest
  @MethodSource("gates")
  void datasetReportHasTheKeysTheTableAndTheGate(Double minMeanIoU, Boolean passed) throws Exception {
    List<String> modes = List.of("off", "crf");
    Map<String, PairScorer.Result> runs = new LinkedHashMap<>();
    Map<String, Double> meanIoUs = new LinkedHashMap<>();
    for (String mode : modes) {
      runs.put(mode, new PairScorer.Result(scores(2), List.of(new PairScorer.Skipped("broken", "DECODE failed: bad")),
          Map.of("decode", 1.0), LatencySummary.of(List.of(2.0, 3.0)), 20, 0.1, Map.of()));
      meanIoUs.put(mode, runs.get(mode).scores().meanIoU());
    }
    DatasetResult result = new DatasetResult(HEADER, dir.resolve("pets"), "oxford-iiit-pet", DatasetRequest.Split.ALL,
        GroundTruthFormat.TRIMAP, List.of("cat_1", "dog_2"), MODEL, dir.resolve("model"), runs, 0,
        List.of(sample("cat_1", modes)), QualityGate.check(minMeanIoU, meanIoUs));
    Path out = dir.resolve("dataset");

    WrittenReport written = EvaluationReport.write(result, out);

    JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    List<String> expected = new ArrayList<>(List.of("command", "createdAt", "machine", "kind", "data", "layout", "split", "gtFormat",
        "images", "model", "runs", "files"));
    if (passed != null) {
      expected.add("gate");
      assertEquals(passed, json.get("gate").get("passed").asBoolean());
      assertEquals(minMeanIoU, json.get("gate").get("minMIoU").asDouble());
    }
    assertEquals(expected, keys(json));
    assertEquals("all", json.get("split").asText());
    assertEquals("trimap", json.get("gtFormat").asText());
    assertEquals(List.of("refine", "scored", "skipped", "accuracy", "latencyMs", "meanStageMs", "imagesPerSecond", "wallSeconds",
        "perImage"), keys(json.get("runs").get("crf")));
    assertEquals("dog_2", json.get("runs").get("off").get("perImage").get(1).get("name").asText());
    assertEquals(1.0, json.get("runs").get("off").get("accuracy").get("mIoU").asDouble(), 1e-12);
    assertEquals(List.of("stages", "contactSheet"), keys(json.get("files")));
    assertTrue(Files.size(out.resolve("contact-sheet.png")) > 0);

    String md = Files.readString(written.markdown());
    assertTrue(md.startsWith("# Segstream eval: pets (all)\n\n`segstream eval --test`  \n"), md);
    assertTrue(md.contains(written.summary()), "the printed summary is the report's table");
    assertTrue(written.summary().startsWith("| figure | refine off | refine crf |\n|---|---|---|\n| images scored / skipped | 2 / 1 | 2 / 1 |\n"),
        written.summary());
    assertTrue(written.summary().contains("| mIoU | 1.000 | 1.000 |"), written.summary());
    assertTrue(md.contains("\nSkipped broken (refine off): DECODE failed: bad\n"), md);
    assertNull(written.overlayVideo());
  }

  @Test
  void replayReportDrawsEveryInputFrameIntoTheOverlay() throws Exception {
    List<String> modes = List.of("crf");
    ReplayStatistics stats = new ReplayStatistics(3, LatencySummary.of(List.of(10.0, 20.0, 30.0)), Map.of("inference", 5.0), 2, 30, 0.1, Map.of());
    ReplayModeResult run = new ReplayModeResult("eval-1-crf", "segstream-eval-1", 3, 3, true, 0, List.of(),
        new ReplayScorer.ModeScores(scores(3), 3, List.of(), List.of(),
            new IdentityScores(3, 6, 5, 5, 1, 0, 1, 0, 4, 8.0 / 11, 0.8, 4.0 / 6, 1 - 2.0 / 6)),
        stats, 1.5, List.of(10.0, 20.0, 30.0));
    ReplayResult result = new ReplayResult(HEADER, dir.resolve("clip"), dir.resolve("truth"), GroundTruthFormat.BINARY, 0,
        Pacing.max(), "embedded 127.0.0.1:9092", MODEL, dir.resolve("model"), 3, 3, List.of("99.png (frame 99, the input has 3)"),
        Map.of("crf", run), 0, List.of(), "crf", frames(3, List.of(0, 2)), null);
    Path out = dir.resolve("replay");

    WrittenReport written = EvaluationReport.write(result, out);

    JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertEquals(List.of("command", "createdAt", "machine", "kind", "input", "groundTruth", "gtFormat", "gtFirstNumber", "rate",
        "kafka", "model", "framesInInput", "groundTruthFrames", "extraGroundTruth", "runs", "files"), keys(json));
    assertEquals("max", json.get("rate").asText());
    assertEquals(List.of("iouOverTime", "latencyHistogram", "stages", "overlay"), keys(json.get("files")), "no samples, no sheet");
    assertEquals(3, json.get("runs").get("crf").get("perFrame").size());
    JsonNode identity = json.get("runs").get("crf").get("identity");
    assertEquals(1, identity.get("idSwitches").asInt());
    assertEquals(8.0 / 11, identity.get("idf1").asDouble(), 1e-12);
    assertEquals(0.5, identity.get("matchIoU").asDouble());
    assertTrue(written.summary().contains("| instances: ID switches / fragmentations | 1 / 0 |"), written.summary());
    assertTrue(written.summary().contains("| instances: IDF1 (IDP / IDR) | 0.727 (0.800 / 0.667) |"), written.summary());
    String md = Files.readString(written.markdown());
    assertTrue(md.contains("\nGround truth without a frame: 99.png (frame 99, the input has 3)\n"), md);
    assertTrue(md.contains("Overlay video (refine crf): `overlay.mp4`"), md);
    assertFalse(md.contains("contact-sheet.png"), md);
    assertEquals(3, VideoWriterTest.readBack(written.overlayVideo()).size(), "frames without a prediction are written plain");
  }

  @ParameterizedTest
  @MethodSource("demoAccuracy")
  void demoReportKeepsItsKeysAndDrawsOneFramePerResult(DemoResult.Accuracy accuracy) throws Exception {
    ReplayStatistics stats = new ReplayStatistics(2, LatencySummary.of(List.of(10.0, 20.0)), Map.of("decode", 1.0, "encode", 2.0), 1, 30, 0.1,
        Map.of("FULL_RESOLUTION_REFINEMENT", 1L, "REFINEMENT", 0L, "SEGMENTATION", 2L));
    DemoResult result = new DemoResult(HEADER, "synthetic clip, seed 7, 64x48, 1 s", MODEL, dir.resolve("model"), "demo-1", 4, 2, true,
        0, "crf", 8, accuracy, stats, 3.25, dir.resolve("input.mp4"), frames(4, List.of(1, 3)));
    Path out = dir.resolve("demo" + (accuracy == null));

    WrittenReport written = DemoReport.write(result, out);

    JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    List<String> expected = new ArrayList<>(List.of("command", "createdAt", "machine", "input", "model", "streamId", "framesIn",
        "resultsOut", "endOfStream", "deadLetters", "refine", "batchSize", "framesPerSecond", "latencyMs", "leftOut",
        "meanStageMs", "meanBatchSize", "wallSeconds", "files"));
    if (accuracy != null) {
      expected.add(expected.indexOf("framesPerSecond"), "accuracy");
      assertEquals(List.of("mIoU", "pixelAccuracy", "perClassIoU", "foregroundIoU", "boundaryF2px"), keys(json.get("accuracy")));
    }
    assertEquals(expected, keys(json));
    assertEquals(List.of("name", "version", "directory"), keys(json.get("model")));
    assertEquals(2, json.get("leftOut").get("SEGMENTATION").asLong());
    assertEquals(1, json.get("leftOut").get("FULL_RESOLUTION_REFINEMENT").asLong());
    assertTrue(written.summary().contains("| left out to keep the latency budget: lower-res refine / unrefined / skipped | 1 / 0 / 2 |"),
        written.summary());
    assertEquals(List.of("overlay", "input"), keys(json.get("files")));
    String md = Files.readString(written.markdown());
    assertEquals("# Segstream demo\n\n" + written.summary() + "\nOverlay video: `overlay.mp4`. Every figure: `report.json`.\n", md);
    assertEquals(accuracy != null, written.summary().contains("| mIoU (of the frames segmented) | 0.750 |\n| IoU background | 0.500 |\n| IoU object | 1.000 |\n"),
        written.summary());
    assertTrue(written.summary().contains("| wall time s | 3.3 |"), written.summary());
    assertEquals(4, VideoWriterTest.readBack(written.overlayVideo()).size(),
        "every frame of the clip, the ones without a prediction (skipped, or no result) plain");
  }

  static Stream<DemoResult.Accuracy> demoAccuracy() {
    Map<String, Double> perClass = new LinkedHashMap<>();
    perClass.put("background", 0.5);
    perClass.put("object", 1.0);
    return Stream.of(new DemoResult.Accuracy(0.75, 0.9, perClass, 1.0, 0.8), null);
  }
}
