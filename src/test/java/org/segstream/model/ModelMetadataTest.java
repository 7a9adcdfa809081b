package org.segstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelMetadataTest {
  static ModelMetadata sample() {
    return new ModelMetadata("pets-live", "2", "unet-small", 160, 160, List.of("pet", "background", "border"), 1,
        "rgb01", 97_715, 248_000_000L, 64.5, "AMD EPYC, 2 cores",
        new ModelMetadata.TrainedOn("oxford-iiit-pet", 7349, 1337, List.of("Abyssinian_1", "beagle_7")),
        new ModelMetadata.Metrics(0.91, List.of(0.8, 0.9, Double.NaN), 0.85, List.of(0.88, 0.94, Double.NaN), 0.83, 0.6),
        "segstream train --data pets", "2026-11-22T03:00:00Z");
  }

  @Test
  void roundTripsThroughJsonIncludingNaN(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("m").resolve(ModelMetadata.FILE_NAME);
    ModelMetadata m = sample();
    m.write(file);
    ModelMetadata back = ModelMetadata.read(file);
    assertEquals(m, back);
    assertTrue(Double.isNaN(back.metrics().perClassIoU().get(2)));
    String json = Files.readString(file);
    for (String field : List.of("\"name\"", "\"version\"", "\"architecture\"", "\"inputHeight\"", "\"inputWidth\"",
        "\"classNames\"", "\"backgroundClass\"", "\"preprocessing\"", "\"parameters\"", "\"macsPerFrame\"",
        "\"framesPerSecond\"", "\"machine\"", "\"trainedOn\"", "\"dataset\"", "\"pairCount\"", "\"splitSeed\"",
        "\"validationNames\"", "\"metrics\"", "\"pixelAccuracy\"", "\"perClassIoU\"", "\"mIoU\"", "\"dice\"",
        "\"foregroundIoU\"", "\"boundaryF\"", "\"command\"", "\"createdAt\"")) {
      assertTrue(json.contains(field), field + " missing in " + json);
    }
  }

  @Test
  void roundTripsAnAspectTrueInputThroughJson(@TempDir Path tmp) throws Exception {
    ModelMetadata s = sample();
    ModelMetadata m = new ModelMetadata(s.name(), s.version(), s.architecture(), 224, 224, s.classNames(),
        s.backgroundClass(), s.preprocessing(), s.parameters(), s.macsPerFrame(), s.framesPerSecond(), s.machine(),
        s.trainedOn(), s.metrics(), s.command(), s.createdAt(), new ModelMetadata.AspectTrueInput(224, 32));
    Path file = tmp.resolve(ModelMetadata.FILE_NAME);
    m.write(file);
    String json = Files.readString(file);
    assertTrue(json.replaceAll("\\s", "").contains("\"aspectTrueInput\":{\"longSide\":224,\"multiple\":32}"), json);
    ModelMetadata back = ModelMetadata.read(file);
    assertEquals(m, back);
    assertEquals(new InputGeometry.Size(224, 128), back.inputSizeFor(640, 360));
  }

  @Test
  void withoutAspectTrueInputAModelStretchesEveryFrameAsBefore(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve(ModelMetadata.FILE_NAME);
    sample().write(file);
    ModelMetadata back = ModelMetadata.read(file);
    assertEquals(sample(), back);
    assertNull(back.aspectTrueInput());
    assertEquals(new InputGeometry.Size(160, 160), back.inputSizeFor(640, 360));
    // a file written before the field existed
    Path old = tmp.resolve("old.json");
    Files.writeString(old, """
        {"name": "x", "version": "1", "architecture": "unet-small", "inputHeight": 128, "inputWidth": 128,
         "classNames": ["a", "b"], "backgroundClass": 1, "preprocessing": "rgb01"}
        """);
    assertNull(ModelMetadata.read(old).aspectTrueInput());
    assertEquals(new InputGeometry.Size(128, 128), ModelMetadata.read(old).inputSizeFor(360, 640));
  }

  @Test
  void refusesAnAspectTrueInputWhoseLongSideIsNoMultiple(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve(ModelMetadata.FILE_NAME);
    Files.writeString(file, """
        {"name": "x", "version": "1", "architecture": "unet-small", "inputHeight": 128, "inputWidth": 128,
         "classNames": ["a", "b"], "backgroundClass": 1, "preprocessing": "rgb01",
         "aspectTrueInput": {"longSide": 200, "multiple": 32}}
        """);
    Exception e = assertThrows(Exception.class, () -> ModelMetadata.read(file));
    assertTrue(String.valueOf(e.getMessage()).contains("longSide 200, multiple 32"), e.getMessage());
  }

  @Test
  void ignoresUnknownFieldsAndToleratesMissingSections(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve(ModelMetadata.FILE_NAME);
    Files.writeString(file, """
        {"name": "x", "version": "1", "architecture": "unet-small", "inputHeight": 32, "inputWidth": 48,
         "classNames": ["a", "b"], "backgroundClass": 1, "preprocessing": "rgb01", "futureField": 3}
        """);
    ModelMetadata m = ModelMetadata.read(file);
    assertEquals(48, m.inputWidth());
    assertEquals(2, m.classCount());
    assertEquals(null, m.metrics());
  }

  @Test
  void rejectsABackgroundClassOutsideTheClasses() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ModelMetadata("x", "1", "a", 8, 8, List.of("a", "b"), 2, "rgb01", 0, 0, 0, "m", null, null, "c", "t"));
    assertTrue(e.getMessage().contains("backgroundClass 2"), e.getMessage());
  }
}
