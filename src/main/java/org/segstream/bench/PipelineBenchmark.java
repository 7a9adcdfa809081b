package org.segstream.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.segstream.avro.SegmentationResult;
import org.segstream.eval.ReplayRun;
import org.segstream.eval.ReplayStatistics;
import org.segstream.image.ImageCodec;
import org.segstream.image.RgbImage;
import org.segstream.ingest.CapturedFrame;
import org.segstream.ingest.FileSource;
import org.segstream.ingest.FrameReader;
import org.segstream.ingest.IngestSettings;
import org.segstream.ingest.IngestSummary;
import org.segstream.ingest.Ingestor;
import org.segstream.ingest.Pacing;
import org.segstream.kafka.Cluster;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topics;
import org.segstream.metrics.LatencySummary;
import org.segstream.model.InputGeometry;
import org.segstream.model.ModelSettings;
import org.segstream.model.SegmentationModel;
import org.segstream.process.ProcessorSettings;
import org.segstream.process.SegmentationService;
import org.segstream.results.StreamCollector;
import org.segstream.view.MjpegViewer;
import org.segstream.view.ViewServer;
import org.segstream.view.ViewSettings;

/**
 * In one run: the model alone on the input's frames at the batch size, {@code process} alone on a frames topic
 * filled beforehand (every frame fully processed: they are all long past any latency budget; after one copy of the
 * input through an application of its own, so the JVM is not compiling the path meanwhile), the ingest cost per
 * frame, and the capture → result latency when the input plays at its native rate (a warm processor with the
 * settings' latency budget).
 */
public final class PipelineBenchmark {
  private final Request request;
  private final KafkaSettings kafka;
  private final SegmentationModel model;
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  /**
   * @param bootstrapServers the cluster, or null (with {@code kafkaConfig} null too) for an embedded broker
   * @param copies streams of the input put on the frames topic beforehand
   * @param viewer also run the copies live twice through the warm processor, without and with a live view and one
   *     MJPEG viewer attached
   */
  public record Request(String bootstrapServers, Path kafkaConfig, Path input, int copies, boolean skipLatency,
      ProcessorSettings settings, Path modelDirectory, ModelSettings modelOptions, boolean viewer) {
    public Request {
      if (!Files.isRegularFile(input)) {
        throw new IllegalArgumentException("input " + input + " is not a readable video file");
      }
    }
  }

  private PipelineBenchmark(Request request, KafkaSettings kafka, SegmentationModel model) {
    this.request = request;
    this.kafka = kafka;
    this.model = model;
  }

  /** Runs the four measurements; a progress line goes to {@code err} after the first. */
  public static PipelineResult run(Request request, PrintWriter err) throws Exception {
    try (Cluster cluster = Cluster.givenOrEmbedded(request.bootstrapServers(), request.kafkaConfig());
        SegmentationModel model = SegmentationModel.load(request.modelDirectory(), request.modelOptions())) {
      try (Admin admin = Admin.create(cluster.settings().adminProperties())) {
        Topics.ensureCreated(admin);
      }
      return new PipelineBenchmark(request, cluster.settings(), model).measure(err);
    }
  }

  private PipelineResult measure(PrintWriter err) throws Exception {
    ProcessorSettings settings = request.settings();
    List<RgbImage> frames = framesAtInputSize();
    PipelineResult.ModelAlone modelAlone = modelAlone(frames);
    err.printf("bench: model alone %.1f frames/s at batch %d (%d intra-op threads)%n", modelAlone.processorFps(),
        settings.batchSize(), modelAlone.processorThreads());
    warmUpPath(settings, frames.size());
    String app = "segstream-bench-" + run;
    startAtEndOfFrames(app); // past the warm-up's frames
    Set<String> streams = new HashSet<>();
    PipelineResult.IngestCost ingest = fillTopic(streams);
    List<SegmentationResult> results;
    PipelineResult.ViewerRounds viewer;
    try (StreamCollector collector = StreamCollector.open(kafka, streams);
        SegmentationService service = SegmentationService.start(kafka.common(), app,
            settings.withLatencyBudget(Duration.ZERO), model, Duration.ofSeconds(120))) {
      results = collector.collectUntilEndOfStream(Duration.ofMinutes(20), r -> {});
      // max-rate rounds, like the topic drained above: every frame fully processed
      viewer = request.viewer() ? viewerRounds(err) : null;
    }
    double processFps = processFps(results);
    NativeRateLatency latency = null;
    if (!request.skipLatency()) {
      // an application of its own, from the end of the frames topic: the first one's members may still be in
      // its group until their session times out, and a rebalance then would land in the middle of the stream
      String live = "segstream-bench-live-" + run;
      startAtEndOfFrames(live);
      try (SegmentationService service = SegmentationService.start(kafka.common(), live, settings, model,
          Duration.ofSeconds(120))) {
        // the first play meets a new application's first commits and fetches; the second, the same one warm
        latency = new NativeRateLatency(latencyAtNativeRate("first"), latencyAtNativeRate("again"));
      }
    }
    PipelineResult.Setup setup = new PipelineResult.Setup(model.metadata(), settings.batchSize(),
        settings.batchMaxDelay().toMillis(), Refinements.label(settings), request.input().getFileName().toString(),
        frames.size(), request.copies());
    return new PipelineResult(setup, modelAlone, processFps, ReplayStatistics.of(results), ingest, latency, viewer);
  }

  private List<RgbImage> framesAtInputSize() throws Exception {
    List<RgbImage> frames = new ArrayList<>();
    InputGeometry geometry = InputGeometry.of(model.metadata());
    try (FrameReader reader = new FileSource(request.input()).open()) {
      for (CapturedFrame f = reader.next(); f != null; f = reader.next()) {
        InputGeometry.Size input = geometry.sizeFor(f.image().width(), f.image().height());
        frames.add(ImageCodec.resizeBilinear(f.image(), input.width(), input.height()));
      }
    }
    return frames;
  }

  /** The model alone with the processor's threads and, if they differ, the default's. */
  private PipelineResult.ModelAlone modelAlone(List<RgbImage> frames) {
    int threads = request.modelOptions().intraOpThreads();
    double fps = modelAlone(model, frames);
    ModelSettings standard = ModelSettings.DEFAULT;
    if (standard.intraOpThreads() == threads) {
      return new PipelineResult.ModelAlone(threads, fps, threads, fps);
    }
    try (SegmentationModel alone = SegmentationModel.load(request.modelDirectory(), standard)) {
      return new PipelineResult.ModelAlone(threads, fps, standard.intraOpThreads(), modelAlone(alone, frames));
    }
  }

  /**
   * One copy of the input through an application of its own before anything is timed. A new JVM compiles Kafka's,
   * Streams' and Avro's code as the processor meets its first records: a fifth of the machine's CPU over the first
   * seconds (BENCHMARKS.md), which is start-up, not the throughput "process alone" stands for.
   */
  private void warmUpPath(ProcessorSettings settings, int frames) throws Exception {
    String app = "segstream-bench-warm-up-" + run;
    startAtEndOfFrames(app);
    try (SegmentationService service = SegmentationService.start(kafka.common(), app,
        settings.withLatencyBudget(Duration.ZERO), model, Duration.ofSeconds(120))) {
      ReplayRun.warmUp(kafka, new FileSource(request.input()), IngestSettings.of("bench-" + run), frames,
          Duration.ofMinutes(5));
    }
  }

  /** An application of this run's that reads only frames published from now on. */
  private void startAtEndOfFrames(String applicationId) {
    try (Admin admin = Admin.create(kafka.adminProperties())) {
      ReplayRun.startAtEndOfFrames(admin, applicationId);
    }
  }

  /** A model alone on the same frames, at the processor's batch size, after one warm-up call. */
  private double modelAlone(SegmentationModel model, List<RgbImage> frames) {
    int b = request.settings().batchSize();
    model.predict(frames.subList(0, Math.min(b, frames.size())));
    long t0 = System.nanoTime();
    int modelFrames = 0;
    for (int rep = 0; rep < request.copies(); rep++) {
      for (int i = 0; i + b <= frames.size(); i += b) {
        model.predict(frames.subList(i, i + b));
        modelFrames += b;
      }
    }
    return modelFrames / ((System.nanoTime() - t0) / 1e9);
  }

  /** Fills the frames topic beforehand with the copies, measuring the ingest cost per frame. */
  private PipelineResult.IngestCost fillTopic(Set<String> streams) {
    List<IngestSummary> ingests = new ArrayList<>();
    for (int c = 0; c < request.copies(); c++) {
      String stream = "bench-" + run + "-" + c;
      streams.add(stream);
      ingests.add(new Ingestor(kafka).ingest(new FileSource(request.input()), IngestSettings.of(stream).withPacing(new Pacing.Max())));
    }
    long frames = ingests.stream().mapToLong(IngestSummary::framesPublished).sum();
    return new PipelineResult.IngestCost(
        ingests.stream().mapToLong(IngestSummary::decodeNanos).sum() / 1e6 / frames,
        ingests.stream().mapToLong(IngestSummary::encodeNanos).sum() / 1e6 / frames,
        ingests.stream().mapToLong(IngestSummary::publishNanos).sum() / 1e6 / frames,
        frames / (ingests.stream().mapToLong(IngestSummary::elapsedNanos).sum() / 1e9));
  }

  /** From the first result on, so Streams' start-up and first rebalance are not counted. */
  private static double processFps(List<SegmentationResult> results) {
    List<SegmentationResult> frameResults = results.stream().filter(r -> !r.getEndOfStream()).toList();
    long start = System.currentTimeMillis();
    long first = frameResults.stream().mapToLong(SegmentationResult::getResultWallTimeMs).min().orElse(start);
    long last = frameResults.stream().mapToLong(SegmentationResult::getResultWallTimeMs).max().orElse(start);
    int firstBatch = (int) frameResults.stream().filter(r -> r.getResultWallTimeMs() == first).count();
    return (frameResults.size() - firstBatch) / Math.max(0.001, (last - first) / 1000.0);
  }

  /**
   * The copies live through the warm processor (ingested in parallel at the maximum rate while it segments), once
   * without a viewer and once with the live view reading the topics and one MJPEG viewer on the first copy.
   */
  private PipelineResult.ViewerRounds viewerRounds(PrintWriter err) throws Exception {
    double without = liveRound("live", null).framesPerSecond();
    err.printf("bench: live, no viewer %.1f frames/s%n", without);
    err.flush();
    // a join timeout past the round's length: results lag a max-rate ingest by many seconds, and the viewer is
    // to be shown every frame the view can join (its 64 MiB budget still bounds what waits)
    ViewSettings settings = new ViewSettings(ViewSettings.DEFAULT_HOST, 0, null, Math.max(1, request.copies()), Duration.ofMinutes(20));
    try (ViewServer view = ViewServer.start(kafka, settings)) {
      LiveRound with = liveRound("viewed", view);
      return new PipelineResult.ViewerRounds(without, with.framesPerSecond(), with.viewerFrames());
    }
  }

  private record LiveRound(double framesPerSecond, long viewerFrames) {}

  private LiveRound liveRound(String name, ViewServer view) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int c = 0; c < request.copies(); c++) {
      ids.add("bench-" + run + "-" + name + "-" + c);
    }
    ExecutorService ingestThreads = Executors.newFixedThreadPool(ids.size());
    try (StreamCollector collector = StreamCollector.open(kafka, Set.copyOf(ids));
        MjpegViewer viewer = view == null ? null : MjpegViewer.watch(view.baseUri(), ids.get(0))) {
      List<Future<IngestSummary>> ingests = new ArrayList<>();
      for (String id : ids) {
        ingests.add(ingestThreads.submit(() -> new Ingestor(kafka).ingest(new FileSource(request.input()),
            IngestSettings.of(id).withPacing(new Pacing.Max()))));
      }
      List<SegmentationResult> results = collector.collectUntilEndOfStream(Duration.ofMinutes(20), r -> {});
      for (Future<IngestSummary> ingest : ingests) {
        ingest.get();
      }
      return new LiveRound(processFps(results), viewer == null ? 0 : viewer.frames());
    } finally {
      ingestThreads.shutdownNow();
    }
  }

  /** One more copy at the native rate through the warm processor: capture → result latency. */
  private LatencySummary latencyAtNativeRate(String play) throws InterruptedException, ExecutionException, TimeoutException {
    String live = "bench-" + run + "-native-" + play;
    try (StreamCollector collector = StreamCollector.open(kafka, Set.of(live))) {
      ExecutorService ingestThread = Executors.newSingleThreadExecutor();
      try {
        Future<IngestSummary> done = ingestThread.submit(() -> new Ingestor(kafka).ingest(new FileSource(request.input()),
            IngestSettings.of(live).withPacing(new Pacing.Native())));
        List<SegmentationResult> liveResults = collector.collectUntilEndOfStream(Duration.ofMinutes(10), r -> {});
        done.get();
        return ReplayStatistics.of(liveResults).captureToResultMs();
      } finally {
        ingestThread.shutdownNow();
      }
    }
  }
}
