package org.segstream.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.segstream.avro.SegmentationResult;
import org.segstream.eval.PredictedFrame;
import org.segstream.eval.ReplayRun;
import org.segstream.eval.ReplayStatistics;
import org.segstream.eval.RunHeader;
import org.segstream.ingest.FileSource;
import org.segstream.ingest.IngestSettings;
import org.segstream.kafka.Cluster;
import org.segstream.metrics.BoundaryF;
import org.segstream.metrics.ConfusionMatrix;
import org.segstream.model.ModelMetadata;
import org.segstream.model.SegmentationModel;
import org.segstream.progress.ProgressCounter;
import org.segstream.synth.SyntheticClip;
import org.segstream.train.DemoModelRecipe;
import org.segstream.video.VideoWriter;

/**
 * The whole path on embedded defaults: a labelled synthetic clip (or a real video) is ingested into Kafka, segmented
 * by the Streams processor and read back; a synthetic clip is then scored against its exact truth.
 */
public final class Demo {

  /** The ingested file and the model that served it. */
  private record Setup(SyntheticClip clip, Path video, Path modelDirectory) {}

  private Demo() {}

  /**
   * @throws IllegalArgumentException when {@code input} is not a readable file
   * @throws java.util.concurrent.TimeoutException when the results have not all arrived within the timeout
   */
  public static DemoResult run(DemoRequest request) throws Exception {
    long started = System.nanoTime();
    Files.createDirectories(request.out());
    Setup setup = setUp(request);
    PrintWriter progress = request.progress();
    String streamId = "demo-" + UUID.randomUUID().toString().substring(0, 8);
    ReplayRun.Outcome outcome;
    ModelMetadata meta;
    try (Cluster cluster = Cluster.givenOrEmbedded(request.bootstrapServers(), request.kafkaConfig(), request.valueFormat());
        SegmentationModel model = SegmentationModel.load(setup.modelDirectory(), request.modelOptions())) {
      if (cluster.isEmbedded()) {
        progress.printf("demo: embedded Kafka broker at %s%n", cluster.settings().bootstrapServers());
      }
      meta = model.metadata();
      progress.printf("demo: ingesting %s as stream %s (%s)%n", setup.video(), streamId, request.pacing());
      ProgressCounter counter = new ProgressCounter(progress, "demo:", "results", 0);
      outcome =
          ReplayRun.run(
              cluster.settings(), model, request.mode().settings(), new FileSource(setup.video()),
              IngestSettings.of(streamId).withPacing(request.pacing()), "segstream-demo-" + streamId, request.timeout(),
              r -> {
                if (!r.getEndOfStream()) {
                  counter.step();
                }
              });
      counter.finish();
    }
    SortedMap<Long, SegmentationResult> bySequence = new TreeMap<>();
    for (SegmentationResult r : outcome.frameResults()) {
      bySequence.put(r.getSequence(), r);
    }
    DemoFrames frames = bySequence.isEmpty() ? null : new DemoFrames(setup.clip(), setup.video(), bySequence);
    DemoResult.Accuracy accuracy = setup.clip() != null ? accuracy(frames, meta) : null;
    RunHeader header = RunHeader.now(request.command()); // stamped when the figures are known, as the report always was
    return new DemoResult(header, describeInput(request), meta, setup.modelDirectory(), streamId, outcome.ingest().framesPublished(),
        bySequence.size(), outcome.endOfStream(), outcome.deadLetters().size(), request.mode().name(),
        request.mode().settings().batchSize(), accuracy, ReplayStatistics.of(outcome.results()), (System.nanoTime() - started) / 1e9,
        setup.video(), frames);
  }

  /** Writes the synthetic clip (or checks the given video) and finds the model. */
  private static Setup setUp(DemoRequest request) throws IOException {
    PrintWriter progress = request.progress();
    if (request.input() != null) {
      if (!Files.isRegularFile(request.input())) {
        throw new IllegalArgumentException("the demo's input " + request.input() + " is not a readable file: give a video file");
      }
      return new Setup(null, request.input(), request.modelDirectory());
    }
    SyntheticClip clip = new SyntheticClip(request.seed(), request.width(), request.height(), request.objects());
    Path video = request.out().resolve("input.mp4");
    int frames = request.seconds() * clip.fps();
    try (VideoWriter writer = VideoWriter.open(video, clip.width(), clip.height(), clip.fps())) {
      for (int i = 0; i < frames; i++) {
        writer.write(clip.frame(i).image());
      }
    }
    progress.printf("demo: wrote the synthetic clip %s (%d frames, %dx%d, 30 fps)%n", video, frames, request.width(), request.height());
    Path model = request.modelDirectory() != null ? request.modelDirectory()
        : DemoModelRecipe.cachedOrTrained(request.trainSteps(), request.trainSeconds(), progress);
    return new Setup(clip, video, model);
  }

  /** One confusion matrix and the mean boundary F (2 px) over the frames whose prediction covers them. */
  private static DemoResult.Accuracy accuracy(DemoFrames frames, ModelMetadata meta) {
    List<String> classes = meta.classNames();
    ConfusionMatrix confusion = new ConfusionMatrix(classes.size());
    BoundaryF boundaryF = new BoundaryF(2);
    if (frames != null) {
      frames.forEach((PredictedFrame f) -> {
        if (f.truth() != null && f.predictionFits()) {
          confusion.add(f.truth(), f.labels());
          boundaryF.add(f.truth(), f.labels());
        }
      });
    }
    Map<String, Double> perClass = new LinkedHashMap<>();
    for (int k = 0; k < classes.size(); k++) {
      perClass.put(classes.get(k), confusion.iou(k));
    }
    return new DemoResult.Accuracy(confusion.meanIoU(), confusion.pixelAccuracy(), perClass,
        confusion.foregroundIoU(meta.backgroundClass()), boundaryF.mean());
  }

  private static String describeInput(DemoRequest request) {
    return request.input() != null ? request.input().toString()
        : "synthetic clip, seed " + request.seed() + ", " + request.width() + "x" + request.height() + ", " + request.seconds() + " s";
  }
}
