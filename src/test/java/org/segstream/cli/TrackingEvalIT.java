package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.segstream.synth.TrackingClip;
import org.segstream.train.DemoModelRecipe;

/**
 * Tracking through the whole pipeline: the synthetic scenes where objects cross (written by {@code bench track
 * --write-scenes}) replayed by {@code eval} through a real embedded broker and the Streams processor with the demo's
 * synthetic-scene model, their instances scored against the scenes' true object ids: at most one ID switch per
 * crossing.
 */
class TrackingEvalIT {
  @TempDir static Path dir;
  private static Path model;

  @BeforeAll
  static void writeScenesAndGetTheModel() throws Exception {
    SegstreamCliTest.Run written = SegstreamCliTest.run("bench", "track", "--passes", "1", "--warmup", "0",
        "--write-scenes", dir.resolve("scenes").toString());
    assertEquals(0, written.exitCode(), written.err());
    // the demo's recipe and step count: cached once per machine (DemoIT trains the same)
    model = DemoModelRecipe.cachedOrTrained(600, 0, new PrintWriter(new StringWriter(), true));
  }

  @ParameterizedTest
  @EnumSource(value = TrackingClip.Scene.class, names = {"CROSSING", "OCCLUSION"})
  void atMostOneIdSwitchPerCrossingThroughThePipeline(TrackingClip.Scene scene) throws Exception {
    Path frames = dir.resolve("scenes").resolve(scene.id());
    Path out = dir.resolve("eval-" + scene.id());
    SegstreamCliTest.Run r = SegstreamCliTest.run("eval",
        "--input", frames.resolve("frames").toString(),
        "--ground-truth", frames.resolve("masks").toString(), "--gt-format", "index",
        "--gt-instances", frames.resolve("ids").toString(),
        "--model", model.toString(), "--refine", "off", "--rate", "max", "--contact-frames", "0",
        "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("| instances: ID switches / fragmentations |"), "the printed table: " + r.out());

    JsonNode run = new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("runs").get("off");
    assertEquals(90, run.get("resultsOut").asInt());
    assertTrue(run.get("accuracy").get("foregroundIoU").asDouble() > 0.8, "the model finds the objects: " + run.get("accuracy"));
    JsonNode identity = run.get("identity");
    assertEquals(90, identity.get("frames").asInt());
    assertTrue(identity.get("trueObjects").asInt() > 150, "two objects in most of 90 frames: " + identity);
    assertTrue(identity.get("idSwitches").asInt() <= 1, scene + ": one crossing, at most one ID switch: " + identity);
    // the frames where the two objects touch are one component, so one of them is missed there (about 12 of 90 in
    // the crossing, the hidden spell in the occlusion)
    assertTrue(identity.get("idf1").asDouble() > 0.8, "IDF1: " + identity);
    assertTrue(identity.get("matches").asInt() >= 140, "matched object-frames: " + identity);
  }
}
