package org.segstream.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.segstream.avro.Box;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.Instance;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.Timings;

/**
 * Results and dead letters as one JSON object per line, as {@code segstream tail --json} prints them, for
 * {@code jq} and scripts. Every result has the same keys (an end-of-stream result's class fractions are null); the label
 * map and the contour polygons are left out (save the maps with {@code --save-dir}). Jackson escapes whatever
 * the record holds, so text fields come out whole; a dead letter's key follows {@link ResultLines#streamOf}.
 */
public final class ResultJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultJson() {}

  /**
   * {@code {"stream", "sequence", "captureTimeUs", "captureWallTimeMs", "resultWallTimeMs", "latencyMs", "width",
   * "height", "endOfStream", "classes": [{"index", "name", "fraction", "contours"}], "contours", "contoursDropped",
   * "refined", "batchSize", "model": {"name", "version"}, "timingsMs": {...}, "instances": [...],
   * "producerVersion", "leftOut": null or {"part", "reason"}}}.
   */
  public static String describe(SegmentationResult result) {
    ObjectNode o = JSON.createObjectNode();
    o.put("stream", result.getStreamId());
    o.put("sequence", result.getSequence());
    o.put("captureTimeUs", result.getCaptureTimeUs());
    o.put("captureWallTimeMs", result.getCaptureWallTimeMs());
    o.put("resultWallTimeMs", result.getResultWallTimeMs());
    o.put("latencyMs", result.getResultWallTimeMs() - result.getCaptureWallTimeMs());
    o.put("width", result.getWidth());
    o.put("height", result.getHeight());
    o.put("endOfStream", result.getEndOfStream());
    List<String> names = result.getClassNames();
    List<Float> fractions = result.getClassFractions();
    int[] contoursPerClass = new int[names.size()];
    result.getContours().forEach(c -> {
      if (c.getClassIndex() >= 0 && c.getClassIndex() < contoursPerClass.length) {
        contoursPerClass[c.getClassIndex()]++;
      }
    });
    ArrayNode classes = o.putArray("classes");
    for (int k = 0; k < names.size(); k++) {
      ObjectNode c = classes.addObject();
      c.put("index", k);
      c.put("name", names.get(k));
      // the float as published, printed as its shortest decimal (not widened to a long double expansion)
      if (k < fractions.size()) {
        c.put("fraction", fractions.get(k));
      } else {
        c.putNull("fraction");
      }
      c.put("contours", contoursPerClass[k]);
    }
    o.put("contours", result.getContours().size());
    o.put("contoursDropped", result.getContoursDropped());
    o.put("refined", result.getRefined());
    o.put("batchSize", result.getBatchSize());
    ObjectNode model = o.putObject("model");
    model.put("name", result.getModel().getName());
    model.put("version", result.getModel().getVersion());
    Timings t = result.getTimings();
    ObjectNode timings = o.putObject("timingsMs");
    timings.put("queueWait", t.getQueueWaitMs());
    timings.put("decode", t.getDecodeMs());
    timings.put("inference", t.getInferenceMs());
    timings.put("refine", t.getRefineMs());
    timings.put("encode", t.getEncodeMs());
    ArrayNode instances = o.putArray("instances");
    for (Instance i : result.getInstances()) {
      ObjectNode n = instances.addObject();
      n.put("id", i.getId());
      n.put("classIndex", i.getClassIndex());
      n.put("className", i.getClassIndex() >= 0 && i.getClassIndex() < names.size() ? names.get(i.getClassIndex()) : null);
      n.put("area", i.getArea());
      Box b = i.getBox();
      ObjectNode box = n.putObject("box");
      box.put("x", b.getX());
      box.put("y", b.getY());
      box.put("width", b.getWidth());
      box.put("height", b.getHeight());
      n.put("centroidX", i.getCentroidX());
      n.put("centroidY", i.getCentroidY());
      n.put("contourIndex", i.getContourIndex());
    }
    o.put("producerVersion", result.getProducerVersion());
    if (result.getLeftOut() == null) {
      o.putNull("leftOut");
    } else {
      ObjectNode leftOut = o.putObject("leftOut");
      leftOut.put("part", result.getLeftOut().getPart().name());
      leftOut.put("reason", result.getLeftOut().getReason());
    }
    return write(o);
  }

  /**
   * {@code {"stage", "stream", "sequence", "topic", "partition", "offset", "errorClass", "errorMessage", "timeMs",
   * "valueBytes"}}: {@code stream} is the failed record's key as {@link ResultLines#streamOf} shows it (null
   * without a key), {@code sequence} the failed frame's when its value decodes as a VideoFrame, else null.
   */
  public static String describe(DeadLetter letter, byte[] recordKey, byte[] payload) {
    byte[] key = letter.getKey() != null ? ResultLines.bytes(letter.getKey()) : recordKey;
    ObjectNode o = JSON.createObjectNode();
    o.put("stage", letter.getStage().name());
    o.put("stream", key == null ? null : ResultLines.streamOf(key));
    String sequence = ResultLines.sequenceOf(payload);
    if (sequence.equals("-")) {
      o.putNull("sequence");
    } else {
      o.put("sequence", Long.parseLong(sequence));
    }
    o.put("topic", letter.getTopic());
    o.put("partition", letter.getPartition());
    o.put("offset", letter.getOffset());
    o.put("errorClass", letter.getErrorClass());
    o.put("errorMessage", letter.getErrorMessage());
    o.put("timeMs", letter.getTimeMs());
    o.put("valueBytes", payload.length);
    return write(o);
  }

  private static String write(ObjectNode o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree of plain values: " + e.getMessage(), e);
    }
  }
}
