package org.segstream.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.segstream.avro.SegmentationResult;
import org.segstream.config.InvalidSettingException;
import org.segstream.eval.ReplayRun;
import org.segstream.image.LabelMap;
import org.segstream.image.Resampling;
import org.segstream.kafka.Cluster;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.ResultRecords;
import org.segstream.kafka.Topics;
import org.segstream.metrics.ConfusionMatrix;
import org.segstream.model.InputGeometry;
import org.segstream.model.ModelMetadata;
import org.segstream.model.ModelSettings;
import org.segstream.model.SegmentationModel;
import org.segstream.process.ProcessorSettings;
import org.segstream.process.SegmentationService;
import org.segstream.results.StreamCollector;
import org.segstream.segment.LeftOut;
import org.segstream.synth.SyntheticScenes;
import org.segstream.train.DemoModelRecipe;

/**
 * One warm {@code process} (in this JVM, with the given settings and latency budget) offered 1, 2, 4, ... synthetic
 * streams at a camera's rate in turn ({@link LoadFeeder}); per load, the results' rate, capture → result latency,
 * what the processor left out of them ({@code leftOut}), and the accuracy against the clips' exact truth. Every
 * frame offered must get exactly one result. Each load ends when every stream's end-of-stream result is back, so
 * the next starts on an idle processor.
 */
public final class LoadBenchmark {
  /** Results are held until their load is scored: this bounds them. */
  static final int MAX_FRAMES_PER_LOAD = 20_000;
  /** The demo's synthetic-scene model when no model is given. */
  private static final int DEMO_MODEL_STEPS = 600;

  private final Request request;
  private final KafkaSettings kafka;
  private final ModelMetadata meta;
  private final LoadFeeder feeder;
  private final PrintWriter err;
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  /**
   * @param bootstrapServers the cluster, or null (with {@code kafkaConfig} null too) for an embedded broker
   * @param streams the loads, in streams, in the order they run
   * @param fps frames per second of each stream
   * @param seconds of each load
   * @param warmupSeconds of one stream through the processor before the first load, not reported
   * @param modelDirectory a model trained on synthetic scenes, or null for the demo's (cached or trained now)
   */
  public record Request(String bootstrapServers, Path kafkaConfig, List<Integer> streams, double fps, int seconds,
      int warmupSeconds, int objects, long seed, ProcessorSettings settings, Path modelDirectory, ModelSettings modelOptions) {
    public Request {
      streams = List.copyOf(streams);
      if (streams.isEmpty() || streams.stream().anyMatch(n -> n < 1 || n > 64)) {
        throw new InvalidSettingException("streams", "give loads of 1..64 streams, e.g. 1,2,4,8; got " + streams);
      }
      if (!(fps > 0 && fps <= 120)) {
        throw new InvalidSettingException("fps", "frames per second per stream must be in (0, 120], got " + fps);
      }
      if (seconds < 1 || warmupSeconds < 0) {
        throw new InvalidSettingException("seconds", "a load lasts at least 1 s and the warm-up 0 s or more, got " + seconds
            + " and " + warmupSeconds);
      }
      int most = streams.stream().mapToInt(Integer::intValue).max().orElseThrow();
      if ((long) most * framesPerStream(fps, seconds) > MAX_FRAMES_PER_LOAD) {
        throw new InvalidSettingException("seconds", "at most " + MAX_FRAMES_PER_LOAD + " frames per load (results are held to be "
            + "scored), but " + most + " streams x " + seconds + " s x " + fps + " fps is more: give fewer seconds");
      }
      if (objects < 0 || objects > 254) {
        throw new InvalidSettingException("objects", "moving objects per clip must be 0..254, got " + objects);
      }
    }

    int framesPerStream() {
      return framesPerStream(fps, seconds);
    }

    private static int framesPerStream(double fps, int seconds) {
      return (int) Math.max(1, Math.round(fps * seconds));
    }
  }

  private LoadBenchmark(Request request, KafkaSettings kafka, ModelMetadata meta, LoadFeeder feeder, PrintWriter err) {
    this.request = request;
    this.kafka = kafka;
    this.meta = meta;
    this.feeder = feeder;
    this.err = err;
  }

  /** Runs the warm-up and every load; a progress line per load goes to {@code err}. */
  public static LoadResult run(Request request, PrintWriter err) throws Exception {
    Path modelDirectory = request.modelDirectory() != null ? request.modelDirectory()
        : DemoModelRecipe.cachedOrTrained(DEMO_MODEL_STEPS, 0, err);
    try (Cluster cluster = Cluster.givenOrEmbedded(request.bootstrapServers(), request.kafkaConfig());
        SegmentationModel model = SegmentationModel.load(modelDirectory, request.modelOptions())) {
      ModelMetadata meta = model.metadata();
      if (!meta.classNames().equals(SyntheticScenes.CLASS_NAMES)) {
        throw new InvalidSettingException("model", "the load benchmark scores against synthetic scenes, classes "
            + SyntheticScenes.CLASS_NAMES + ", but the model " + modelDirectory + " has " + meta.classNames()
            + ": give a model trained with 'segstream train --synthetic', or no --model for the demo's");
      }
      String applicationId = "segstream-bench-load-" + UUID.randomUUID().toString().substring(0, 8);
      try (Admin admin = Admin.create(cluster.settings().adminProperties())) {
        Topics.ensureCreated(admin);
        ReplayRun.startAtEndOfFrames(admin, applicationId); // a given cluster's old frames are not this run's load
      }
      int most = request.streams().stream().mapToInt(Integer::intValue).max().orElseThrow();
      LoadFeeder feeder = new LoadFeeder(cluster.settings(), request.seed(), most, request.objects());
      try (SegmentationService service = SegmentationService.start(cluster.settings().common(), applicationId,
          request.settings(), model, Duration.ofSeconds(120))) {
        return new LoadBenchmark(request, cluster.settings(), meta, feeder, err).measure(service, modelDirectory);
      }
    }
  }

  private LoadResult measure(SegmentationService service, Path modelDirectory) throws Exception {
    if (request.warmupSeconds() > 0) {
      List<SegmentationResult> warm = offer(service, "warmup", 1, (int) Math.round(request.fps() * request.warmupSeconds()));
      err.printf(Locale.ROOT, "bench load: warm-up, %d results of 1 stream%n", warm.size() - 1);
      err.flush();
    }
    List<LoadResult.Load> loads = new ArrayList<>();
    for (int streams : request.streams()) {
      List<SegmentationResult> results = offer(service, "s" + streams, streams, request.framesPerStream());
      LoadResult.Load load = tally(results, streams);
      err.printf(Locale.ROOT, "bench load: %d stream(s): %d results, p99 %.0f ms, skipped %.3f%n", streams, load.results(),
          load.latency().p99(), load.shares().skipped());
      err.flush();
      loads.add(load);
    }
    ProcessorSettings s = request.settings();
    String setup = String.format(Locale.ROOT,
        "model %s %s (%s) at %s, batch %d / %d ms, refine %s, latency budget %s; synthetic clips %dx%d, %d objects, seed %d, "
            + "%d pictures looped per stream; %.0f fps per stream, %d s per load after a %d s warm-up",
        meta.name(), meta.version(), modelDirectory.getFileName(), InputGeometry.of(meta).describe(), s.batchSize(),
        s.batchMaxDelay().toMillis(), Refinements.label(s), s.latencyBudget().isZero() ? "off" : s.latencyBudget().toMillis() + " ms",
        LoadFeeder.WIDTH, LoadFeeder.HEIGHT, request.objects(), request.seed(), LoadFeeder.PICTURES, request.fps(), request.seconds(),
        request.warmupSeconds());
    return new LoadResult(setup, s.latencyBudget().toMillis(), loads);
  }

  private List<String> streamIds(String load, int streams) {
    List<String> ids = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      ids.add("load-" + run + "-" + load + "-" + s);
    }
    return ids;
  }

  /** Feeds the streams and collects their results up to every end-of-stream result. */
  private List<SegmentationResult> offer(SegmentationService service, String load, int streams, int framesPerStream)
      throws Exception {
    List<String> ids = streamIds(load, streams);
    // generous: a processor without a budget may take far longer than real time, at worst ~10 frames/s
    Duration timeout = Duration.ofSeconds(120 + (long) (framesPerStream / request.fps()) + (long) streams * framesPerStream / 10);
    ExecutorService feedThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "segstream-load-feeder-" + run));
    try (StreamCollector collector = StreamCollector.open(kafka, new LinkedHashSet<>(ids))) {
      Future<LoadFeeder.Fed> feeding = feedThread.submit(() -> feeder.feed(ids, framesPerStream, request.fps()));
      List<SegmentationResult> results;
      try {
        results = collector.collectUntilEndOfStream(timeout, r -> {});
      } catch (TimeoutException e) {
        // a failed feeder or processor is the better explanation than the timeout
        if (feeding.isDone()) {
          feeding.get();
        }
        if (service.isFailed()) {
          throw new IllegalStateException("the processor failed: " + service.failure(), service.failure());
        }
        throw e;
      }
      LoadFeeder.Fed fed = feeding.get(60, TimeUnit.SECONDS);
      if (fed.maxLateMs() > 50) {
        err.printf("bench load: the feeder of %d stream(s) sent a frame up to %d ms after its capture time (counted in the latency):"
            + " the machine is busy%n", streams, fed.maxLateMs());
      }
      if (!collector.deadLetters().isEmpty()) {
        err.printf("bench load: %d dead letter(s) at %d stream(s), e.g. %s%n", collector.deadLetters().size(), streams,
            collector.deadLetters().get(0));
      }
      return results;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } finally {
      feedThread.shutdownNow();
    }
  }

  /** Counts, times and scores one load's results. */
  private LoadResult.Load tally(List<SegmentationResult> results, int streams) {
    List<String> ids = streamIds("s" + streams, streams);
    Map<String, Integer> index = new HashMap<>();
    for (int s = 0; s < ids.size(); s++) {
      index.put(ids.get(s), s);
    }
    LoadTally tally = new LoadTally(streams, request.framesPerStream());
    ConfusionMatrix all = new ConfusionMatrix(meta.classCount());
    ConfusionMatrix answered = new ConfusionMatrix(meta.classCount());
    // scored by picture, so each picture's truth is rendered once per stream
    Map<Long, List<SegmentationResult>> byPicture = new HashMap<>();
    for (SegmentationResult r : results) {
      if (r.getEndOfStream()) {
        continue;
      }
      int s = index.get(r.getStreamId());
      LeftOut.Part part = part(r);
      tally.add(s, r.getSequence(), part, r.getCaptureWallTimeMs(), r.getResultWallTimeMs());
      if (r.getSequence() >= 0 && r.getSequence() < request.framesPerStream()) {
        byPicture.computeIfAbsent((long) s * LoadFeeder.PICTURES + r.getSequence() % LoadFeeder.PICTURES, k -> new ArrayList<>()).add(r);
      }
    }
    byPicture.forEach((key, list) -> {
      LabelMap truth = feeder.truth((int) (key / LoadFeeder.PICTURES), key % LoadFeeder.PICTURES);
      for (SegmentationResult r : list) {
        if (part(r) == LeftOut.Part.SEGMENTATION) {
          all.add(truth, background(truth.width(), truth.height()));
        } else {
          LabelMap labels = ResultRecords.labels(r);
          if (labels.width() != truth.width() || labels.height() != truth.height()) {
            labels = Resampling.nearest(labels, truth.width(), truth.height());
          }
          all.add(truth, labels);
          answered.add(truth, labels);
        }
      }
    });
    return tally.load(streams * request.fps(),
        new LoadResult.Accuracy(all.meanIoU(), answered.total() == 0 ? Double.NaN : answered.meanIoU()));
  }

  private LabelMap background(int width, int height) {
    byte[] labels = new byte[width * height];
    Arrays.fill(labels, (byte) meta.backgroundClass());
    return new LabelMap(width, height, labels);
  }

  /** What the result says was left out, null for nothing. */
  private static LeftOut.Part part(SegmentationResult r) {
    if (r.getLeftOut() == null) {
      return null;
    }
    String name = r.getLeftOut().getPart().name();
    for (LeftOut.Part p : LeftOut.Part.values()) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new IllegalStateException("result " + r.getStreamId() + "#" + r.getSequence() + " says it left out " + name
        + ", which this build's processor never writes");
  }
}
