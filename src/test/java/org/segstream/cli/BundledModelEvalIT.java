package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.model.BundledModels;
import org.segstream.model.ModelMetadata;
import org.segstream.testing.SharedData;

/** {@code eval --data} on the real pets validation split reproduces what the trainer recorded in the bundled model. */
class BundledModelEvalIT {
  @TempDir Path dir;

  @Test
  void validationSplitReproducesTheRecordedMIoU() throws Exception {
    assertTrue(BundledModels.exists(BundledModels.LIVE), "the build bundles " + BundledModels.LIVE);
    Path pets = SharedData.path("oxford-pets");
    Path model = BundledModels.resolve(BundledModels.LIVE).orElseThrow();
    ModelMetadata meta = ModelMetadata.read(model.resolve(ModelMetadata.FILE_NAME));
    Path out = dir.resolve("pets-val");
    var r = SegstreamCliTest.run("eval", "--data", pets.toString(), "--split", "val", "--refine", "crf", "--out", out.toString());
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    // the metadata's scores are eval's with process's defaults: the CRF on
    double miou = report.get("runs").get("crf").get("accuracy").get("mIoU").asDouble();
    assertEquals(meta.metrics().mIoU(), miou, 0.01, "eval --data val vs the mIoU recorded at training");
    assertTrue(report.get("runs").get("crf").get("scored").asInt() >= meta.trainedOn().validationNames().size() - 2,
        "every validation pair but the known faulty files is scored");
  }
}
