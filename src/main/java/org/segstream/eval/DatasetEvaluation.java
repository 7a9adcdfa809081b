package org.segstream.eval;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.segstream.dataset.GroundTruthFormat;
import org.segstream.dataset.OxfordPetsLayout;
import org.segstream.dataset.Pair;
import org.segstream.dataset.PairLayout;
import org.segstream.dataset.ValidationSplit;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.model.InputGeometry;
import org.segstream.model.ModelMetadata;
import org.segstream.model.SegmentationModel;
import org.segstream.progress.ProgressCounter;
import org.segstream.scoring.PairScorer;

/**
 * Evaluates a model on an image set without Kafka: every pair of the split through {@link PairScorer} once per
 * refine mode, and the contact sheet's images read back with their truth and predictions.
 */
public final class DatasetEvaluation {

  /** The validation split was asked for but the model records no validation names: score every pair instead. */
  public static final class NoValidationNamesException extends IllegalArgumentException {
    NoValidationNamesException(String message) {
      super(message);
    }
  }

  private DatasetEvaluation() {}

  /**
   * @throws NoValidationNamesException for {@link DatasetRequest.Split#VAL} with a model that records no validation names
   */
  public static DatasetResult run(DatasetRequest request) throws IOException {
    RunHeader header = RunHeader.now(request.command());
    PrintWriter progress = request.progress();
    PairLayout dataset = PairLayout.open(request.data());
    GroundTruthFormat format = request.gtFormat() != null ? request.gtFormat() : dataset.maskFormat();
    Map<String, PairScorer.Result> runs = new LinkedHashMap<>();
    ModelMetadata meta;
    List<Pair> pairs;
    Set<Integer> keep = new TreeSet<>();
    try (SegmentationModel model = SegmentationModel.load(request.modelDirectory(), request.modelOptions())) {
      meta = model.metadata();
      pairs = select(request.split(), dataset, meta);
      for (long i : Sample.spreadOver(LongStream.range(0, pairs.size()).boxed().toList(), request.contactFrames())) {
        keep.add((int) i);
      }
      progress.printf("eval: model %s %s, input %s, on %d images of %s (%s split, %s masks)%n", meta.name(), meta.version(),
          InputGeometry.of(meta).describe(), pairs.size(),
          request.data(), request.split().name().toLowerCase(Locale.ROOT), format.name().toLowerCase(Locale.ROOT));
      for (ModeSettings mode : request.modes()) {
        ProgressCounter counter = new ProgressCounter(progress, "eval: refine " + mode.name(), "images", pairs.size());
        runs.put(mode.name(), PairScorer.evaluate(
            model, mode.settings(), mode.settings().batchSize(), pairs, format, request.boundaryTolerancePx(), keep,
            counter::update));
        counter.finish();
      }
    }
    Map<String, Double> meanIoUs = new LinkedHashMap<>();
    runs.forEach((mode, r) -> meanIoUs.put(mode, r.scores().meanIoU()));
    return new DatasetResult(header, request.data(), dataset instanceof OxfordPetsLayout ? "oxford-iiit-pet" : "images+masks",
        request.split(), format, pairs.stream().map(Pair::name).toList(), meta, request.modelDirectory(), runs,
        format.scoredBackground(meta.backgroundClass()), samples(pairs, keep, runs, format, meta),
        QualityGate.check(request.minMeanIoU(), meanIoUs));
  }

  private static List<Pair> select(DatasetRequest.Split split, PairLayout dataset, ModelMetadata meta) {
    List<Pair> all = dataset.pairs();
    if (split == DatasetRequest.Split.ALL) {
      return all;
    }
    List<String> names = meta.trainedOn() == null ? List.of() : meta.trainedOn().validationNames();
    if (names.isEmpty()) {
      throw new NoValidationNamesException("the model " + meta.name() + " records no validation names in its " + ModelMetadata.FILE_NAME);
    }
    return ValidationSplit.select(all, names, dataset.root());
  }

  /** The kept pairs that some mode segmented, read again with their truth; the predictions in the scored classes. */
  private static List<Sample> samples(
      List<Pair> pairs, Set<Integer> keep, Map<String, PairScorer.Result> runs, GroundTruthFormat format, ModelMetadata meta)
      throws IOException {
    List<Sample> samples = new ArrayList<>();
    for (int i : keep) {
      Pair pair = pairs.get(i);
      Map<String, LabelMap> predictions = new LinkedHashMap<>();
      runs.forEach((mode, r) -> {
        if (r.kept().containsKey(i)) {
          predictions.put(mode, r.kept().get(i));
        }
      });
      if (predictions.isEmpty()) {
        continue; // skipped as unreadable
      }
      Path image = pair.image();
      LabelMap truth = format.truth(ImageCodec.decodePngGray(Files.readAllBytes(pair.mask())), meta.classNames().size());
      samples.add(new Sample(pair.name(), ImageCodec.decode(Files.readAllBytes(image)), truth,
          ReplayEvaluation.scored(predictions, format, meta)));
    }
    return samples;
  }
}
