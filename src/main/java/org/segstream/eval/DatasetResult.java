package org.segstream.eval;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.segstream.dataset.GroundTruthFormat;
import org.segstream.model.ModelMetadata;
import org.segstream.scoring.PairScorer;

/**
 * An image-set evaluation's outcome: every figure of every refine mode and the images kept for a contact sheet.
 *
 * @param layout {@code oxford-iiit-pet} or {@code images+masks}
 * @param imageNames the pairs evaluated, by index (a score's sequence is its index here)
 * @param runs per refine mode, in the order they ran
 * @param scoredBackground the background class index of the scored classes (for colouring {@link #samples})
 * @param gate the mIoU gate, null when none was asked for
 */
public record DatasetResult(
    RunHeader header,
    Path data,
    String layout,
    DatasetRequest.Split split,
    GroundTruthFormat gtFormat,
    List<String> imageNames,
    ModelMetadata model,
    Path modelDirectory,
    Map<String, PairScorer.Result> runs,
    int scoredBackground,
    List<Sample> samples,
    QualityGate gate)
    implements EvaluationResult {

  public DatasetResult {
    imageNames = List.copyOf(imageNames);
    runs = Collections.unmodifiableMap(new LinkedHashMap<>(runs));
    samples = List.copyOf(samples);
  }
}
