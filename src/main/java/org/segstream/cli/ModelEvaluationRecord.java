package org.segstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.segstream.eval.DatasetResult;
import org.segstream.eval.EvaluationResult;
import org.segstream.eval.ReplayResult;
import org.segstream.metrics.Scores;
import org.segstream.model.ModelMetadata;

/**
 * {@code eval --record-in-model}: the figures of an evaluation written into the model's own metadata, as an
 * {@code evaluations} array (readers that do not know it ignore it), so a model carries what it scored on which
 * data and how, and anyone can run the recorded command again to check it.
 */
final class ModelEvaluationRecord {
  private ModelEvaluationRecord() {}

  /** Replaces the entries of the same data and refine mode, appends the others. */
  static void write(Path modelDirectory, EvaluationResult result, String data, String command) throws IOException {
    Path file = modelDirectory.resolve(ModelMetadata.FILE_NAME);
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = (ObjectNode) mapper.readTree(file.toFile());
    ArrayNode evaluations = root.has("evaluations") ? (ArrayNode) root.get("evaluations") : root.putArray("evaluations");
    for (Map.Entry<String, Scores> run : scoresByMode(result).entrySet()) {
      for (int i = evaluations.size() - 1; i >= 0; i--) {
        if (data.equals(evaluations.get(i).path("data").asText()) && run.getKey().equals(evaluations.get(i).path("refine").asText())) {
          evaluations.remove(i);
        }
      }
      Scores s = run.getValue();
      ObjectNode e = evaluations.addObject();
      e.put("data", data);
      e.put("refine", run.getKey());
      e.put("frames", s.frames());
      e.put("mIoU", s.meanIoU());
      e.put("foregroundIoU", s.foregroundIoU());
      e.put("boundaryF", s.boundaryF());
      e.put("boundaryTolerancePx", s.boundaryTolerancePx());
      if (!Double.isNaN(s.temporalStability())) {
        e.put("temporalStability", s.temporalStability());
      }
      ObjectNode perClass = e.putObject("perClassIoU");
      s.perClassIoU().forEach(perClass::put);
      e.put("command", command);
      e.put("machine", result.header().machine());
      e.put("at", result.header().createdAt());
    }
    mapper.writeValue(file.toFile(), root);
  }

  private static Map<String, Scores> scoresByMode(EvaluationResult result) {
    Map<String, Scores> byMode = new LinkedHashMap<>();
    if (result instanceof ReplayResult r) {
      r.runs().forEach((mode, run) -> byMode.put(mode, run.scores().scores()));
    } else if (result instanceof DatasetResult d) {
      d.runs().forEach((mode, run) -> byMode.put(mode, run.scores()));
    }
    return byMode;
  }
}
