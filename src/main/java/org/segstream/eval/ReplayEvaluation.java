package org.segstream.eval;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.segstream.avro.SegmentationResult;
import org.segstream.dataset.GroundTruthFormat;
import org.segstream.image.LabelMap;
import org.segstream.ingest.FrameSource;
import org.segstream.ingest.ImageSequenceSource;
import org.segstream.ingest.IngestSettings;
import org.segstream.kafka.Cluster;
import org.segstream.model.InputGeometry;
import org.segstream.model.ModelMetadata;
import org.segstream.model.SegmentationModel;
import org.segstream.progress.ProgressCounter;

/**
 * Evaluates the whole pipeline on a recorded input: replays it through Kafka (ingest → the Streams processor →
 * results) once per refine mode, on the given cluster or an embedded broker, then reads the input again to score
 * every mode against the numbered ground truth in one pass.
 */
public final class ReplayEvaluation {

  /** The replays of every mode, before scoring. */
  private record Replays(ModelMetadata model, String kafka, Map<String, ReplayRun.Outcome> outcomes) {}

  private ReplayEvaluation() {}

  /**
   * @throws java.util.concurrent.TimeoutException when a mode's results have not all arrived within the timeout
   */
  public static ReplayResult run(ReplayRequest request) throws Exception {
    RunHeader header = RunHeader.now(request.command());
    FrameSource source = request.source();
    long firstNumber = request.gtStart() != null ? request.gtStart()
        : source instanceof ImageSequenceSource seq ? GroundTruthFiles.firstNumberOf(seq.frames()) : 0;
    GroundTruthFiles truthFiles = GroundTruthFiles.index(request.groundTruth(), firstNumber);
    GroundTruthFiles idFiles = request.instanceTruth() == null ? null : GroundTruthFiles.index(request.instanceTruth(), firstNumber);
    long expectedFrames = source instanceof ImageSequenceSource seq ? seq.frames().size() : 0;
    Replays replays = replay(request, source, expectedFrames);

    // score every mode in one pass over the frames, keeping the contact sheet's frames on the way
    Map<String, List<SegmentationResult>> resultsByMode = new LinkedHashMap<>();
    replays.outcomes().forEach((mode, outcome) -> resultsByMode.put(mode, outcome.results()));
    Set<Long> sheetFrames = Sample.spreadOver(truthFiles.bySequence().keySet().stream()
        .filter(s -> expectedFrames == 0 || s < expectedFrames).toList(), request.contactFrames());
    GroundTruthFormat format = request.gtFormat();
    ModelMetadata meta = replays.model();
    List<Sample> samples = new ArrayList<>();
    request.progress().println("eval: scoring");
    request.progress().flush();
    ReplayScorer.Outcome scored =
        ReplayScorer.score(source, truthFiles, idFiles, format, meta, request.boundaryTolerancePx(), resultsByMode, view -> {
          if (view.truth() != null && sheetFrames.contains(view.sequence())) {
            samples.add(new Sample("frame " + view.sequence(), view.frame(), view.truth(), scored(view.predictions(), format, meta)));
          }
        });

    Map<String, ReplayModeResult> runs = new LinkedHashMap<>();
    Map<String, Double> meanIoUs = new LinkedHashMap<>();
    replays.outcomes().forEach((mode, outcome) -> {
      ReplayScorer.ModeScores scores = scored.byMode().get(mode);
      runs.put(mode, ReplayModeResult.of(outcome, scores));
      meanIoUs.put(mode, scores.scores().meanIoU());
    });
    String overlayMode = request.overlayMode();
    return new ReplayResult(header, request.input(), request.groundTruth(), format, firstNumber, request.pacing(), replays.kafka(),
        meta, request.modelDirectory(), scored.frames(), truthFiles.bySequence().size(), scored.extraTruth(), runs,
        format.scoredBackground(meta.backgroundClass()), samples, overlayMode,
        new ReplayFrames(source, replays.outcomes().get(overlayMode).results()), QualityGate.check(request.minMeanIoU(), meanIoUs));
  }

  /** Replays the source once per mode, each as a stream of its own with a processor of its own. */
  private static Replays replay(ReplayRequest request, FrameSource source, long expectedFrames) throws Exception {
    PrintWriter progress = request.progress();
    String runId = UUID.randomUUID().toString().substring(0, 8);
    Map<String, ReplayRun.Outcome> outcomes = new LinkedHashMap<>();
    try (Cluster cluster = Cluster.givenOrEmbedded(request.bootstrapServers(), request.kafkaConfig(), request.valueFormat());
        SegmentationModel model = SegmentationModel.load(request.modelDirectory(), request.modelOptions())) {
      ModelMetadata meta = model.metadata();
      progress.printf("eval: Kafka %s; model %s %s, input %s; replaying %s (%s)%n", cluster.describe(), meta.name(),
          meta.version(), InputGeometry.of(meta).describe(), source.uri(), request.pacing());
      for (ModeSettings mode : request.modes()) {
        String streamId = "eval-" + runId + "-" + mode.name();
        ProgressCounter counter = new ProgressCounter(progress, "eval: refine " + mode.name(), "frames", expectedFrames);
        ReplayRun.Outcome outcome =
            ReplayRun.run(
                cluster.settings(), model, mode.settings(), source, IngestSettings.of(streamId).withPacing(request.pacing()),
                "segstream-eval-" + streamId, request.timeout(),
                r -> {
                  if (!r.getEndOfStream()) {
                    counter.step();
                  }
                });
        counter.finish();
        outcomes.put(mode.name(), outcome);
      }
      return new Replays(meta, cluster.describe(), outcomes);
    }
  }

  /** The predictions in the scored classes, so they compare with the truth. */
  static Map<String, LabelMap> scored(Map<String, LabelMap> predictions, GroundTruthFormat format, ModelMetadata meta) {
    Map<String, LabelMap> out = new LinkedHashMap<>();
    predictions.forEach((mode, labels) -> out.put(mode, format.prediction(labels, meta.backgroundClass())));
    return out;
  }
}
