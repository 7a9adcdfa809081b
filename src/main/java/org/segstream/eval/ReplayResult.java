package org.segstream.eval;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.segstream.dataset.GroundTruthFormat;
import org.segstream.ingest.Pacing;
import org.segstream.model.ModelMetadata;

/**
 * A replay evaluation's outcome: every figure of every refine mode, the frames kept for a contact sheet and the
 * frames to draw the overlay video from.
 *
 * @param gtFirstNumber the number in the name of frame 0's mask
 * @param kafka the cluster, "embedded HOST:PORT" or the given bootstrap servers with credentials masked
 * @param framesInInput the input's frames as read again for scoring
 * @param extraGroundTruth masks beyond the input's frames or matching no frame, each with the reason
 * @param runs per refine mode, in the order they ran
 * @param scoredBackground the background class index of the scored classes (for colouring {@link #samples})
 * @param overlay the input's frames with the predictions of {@code overlayMode}
 * @param gate the mIoU gate, null when none was asked for
 */
public record ReplayResult(
    RunHeader header,
    Path input,
    Path groundTruth,
    GroundTruthFormat gtFormat,
    long gtFirstNumber,
    Pacing pacing,
    String kafka,
    ModelMetadata model,
    Path modelDirectory,
    long framesInInput,
    int groundTruthFrames,
    List<String> extraGroundTruth,
    Map<String, ReplayModeResult> runs,
    int scoredBackground,
    List<Sample> samples,
    String overlayMode,
    PredictedFrames overlay,
    QualityGate gate)
    implements EvaluationResult {

  public ReplayResult {
    extraGroundTruth = List.copyOf(extraGroundTruth);
    runs = Collections.unmodifiableMap(new LinkedHashMap<>(runs));
    samples = List.copyOf(samples);
  }
}
