package org.segstream.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.FrameEncoding;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.VideoFrame;
import org.segstream.config.QualityGateException;
import org.segstream.config.UsageException;
import org.segstream.eval.ResultCollector;
import org.segstream.image.ImageCodec;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topics;
import org.segstream.model.Machine;
import org.segstream.synth.SyntheticClip;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segstream bench chaos}: synthetic streams at a steady rate through an embedded broker
 * (a log directory that survives its restart) into {@code process} child JVMs, while the processor
 * is killed hard and restarted with the same instance id and state directory, and the broker is
 * restarted once. Counts, under read_committed, the frames with no result and with more than one.
 */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description = {
      "Replay synthetic streams through an embedded broker into process child JVMs, kill the processor hard --kills times",
      "and restart the broker once; print frames in, results out, lost, duplicated, dead letters and restart-to-first-result",
      "times. Exit 3 when a frame was lost or answered twice."
    })
final class BenchChaosCommand implements Callable<Integer> {
  private static final int FRAME_WIDTH = 160;
  private static final int FRAME_HEIGHT = 120;
  /** Distinct pictures per stream, replayed in a loop: rendering is not what this measures. */
  private static final int PICTURES_PER_STREAM = 30;
  /** A restarted or running processor that produces nothing for this long has failed. */
  private static final Duration PROGRESS_DEADLINE = Duration.ofMinutes(3);

  @Mixin ModelSelection modelSelection;
  @Mixin ProcessorOptions processorOptions;

  @Option(names = "--frames", defaultValue = "5000", description = "Frames in all, over every stream (default ${DEFAULT-VALUE}).")
  int frames;

  @Option(names = "--streams", defaultValue = "4", description = "Synthetic streams, fed round robin (default ${DEFAULT-VALUE}).")
  int streams;

  @Option(names = "--kills", defaultValue = "10", description = "Hard kills of the processor, each followed by a restart (default ${DEFAULT-VALUE}).")
  int kills;

  @Option(names = "--rate", defaultValue = "40", description = "Frames per second over all streams (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the kill moments and the pictures (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--instance-heap", defaultValue = "1g", description = "-Xmx of the processor JVM (default ${DEFAULT-VALUE}).")
  String instanceHeap;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "Keep the broker's log, the processor's state directory and its logs here (default: a temporary directory, "
          + "deleted after a run that passed).")
  Path workDir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** One disruption: a processor kill and restart, or the broker's restart, when this many results are in. */
  record Event(boolean brokerRestart, int atResults) {}

  /**
   * {@code kills} processor kills and one broker restart, in a seeded random order, each when a
   * seeded random share of the frames has its result: one per slot of an even split of 5 %..90 %
   * of the frames, so two disruptions never land on the same result and the last leaves frames
   * for the restarted processor to answer.
   */
  static List<Event> plan(long seed, int kills, int frames) {
    Random random = new Random(seed);
    int events = kills + 1;
    int brokerAt = random.nextInt(events);
    double first = 0.05;
    double slot = 0.85 / events;
    List<Event> plan = new ArrayList<>();
    int previous = 0;
    for (int i = 0; i < events; i++) {
      int at = (int) Math.round(frames * (first + slot * (i + 0.2 + 0.6 * random.nextDouble())));
      at = Math.max(at, previous + 1);
      plan.add(new Event(i == brokerAt, at));
      previous = at;
    }
    return plan;
  }

  @Override
  public Integer call() throws Exception {
    if (streams < 1 || frames < streams) {
      throw new UsageException("--streams must be at least 1 and --frames at least --streams (" + streams + "), got " + frames);
    }
    if (kills < 0 || kills + 1 > frames / 2) {
      throw new UsageException("--kills must be 0.." + (frames / 2 - 1) + " for " + frames + " frames, got " + kills);
    }
    if (!(rate > 0)) {
      throw new UsageException("--rate must be positive frames/s, got " + rate);
    }
    processorOptions.toSettings(); // validates before anything starts
    modelSelection.options();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("segstream-bench-chaos-");
    List<Event> plan = plan(seed, kills, frames);
    Set<String> streamIds = new LinkedHashSet<>();
    for (int s = 0; s < streams; s++) {
      streamIds.add("chaos-" + run + "-" + s);
    }
    err.printf("bench chaos: work directory %s (broker log, state directory, processor logs)%n", work);
    err.flush();

    ResultTally tally = new ResultTally(streamIds);
    List<Double> restartSeconds = new ArrayList<>();
    double[] broker = new double[2]; // seconds down, seconds from the restart's start to the next new result
    long fed;
    List<DeadLetter> deadLetters;
    EmbeddedBroker current = EmbeddedBroker.start(EmbeddedBroker.Options.defaults().withDataDir(work.resolve("kafka")));
    ProcessorChild processor = null;
    boolean succeeded = false;
    try {
      KafkaSettings kafka = current.settings(); // the same address across the broker's restart
      List<String> args = processorArgs(kafka, run, work);
      Feeder feeder = new Feeder(kafka, List.copyOf(streamIds), frames, rate, seed);
      try (ResultCollector collector = ResultCollector.open(kafka, streamIds)) {
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> new Thread(r, "segstream-chaos-" + UUID.randomUUID()));
        try {
          long startedMs = System.currentTimeMillis();
          tally.mark(startedMs);
          processor = ProcessorChild.start(args, instanceHeap, work.resolve("processor-0.log"));
          Future<?> collecting = threads.submit(() -> collector.collectUntilEndOfStream(
              Duration.ofSeconds((long) (frames / rate) + 120L * (kills + 2)), tally::add));
          Future<Long> feeding = threads.submit(feeder::feed);
          awaitFirstNewResult(tally, processor, collecting, feeding);
          err.printf(Locale.ROOT, "bench chaos: first result %.1f s after the processor started (cold start)%n",
              (tally.firstAfterMarkMs() - startedMs) / 1000.0);
          for (Event event : plan) {
            awaitResults(tally, event.atResults(), processor, collecting, feeding);
            long begin = System.currentTimeMillis();
            tally.mark(begin);
            if (event.brokerRestart()) {
              current = current.restart();
              long back = System.currentTimeMillis();
              awaitFirstNewResult(tally, processor, collecting, feeding);
              broker[0] = (back - begin) / 1000.0;
              broker[1] = (tally.firstAfterMarkMs() - begin) / 1000.0;
              err.printf(Locale.ROOT, "bench chaos: broker restarted at %d results: down %.1f s, next result %.1f s after it stopped%n",
                  event.atResults(), broker[0], broker[1]);
            } else {
              processor.kill();
              long restartedMs = System.currentTimeMillis();
              tally.mark(restartedMs);
              processor = ProcessorChild.start(args, instanceHeap, work.resolve("processor-" + (restartSeconds.size() + 1) + ".log"));
              awaitFirstNewResult(tally, processor, collecting, feeding);
              double seconds = (tally.firstAfterMarkMs() - restartedMs) / 1000.0;
              restartSeconds.add(seconds);
              err.printf(Locale.ROOT, "bench chaos: kill %d at %d results: restart to first result %.1f s%n",
                  restartSeconds.size(), event.atResults(), seconds);
            }
            err.flush();
          }
          fed = feeding.get();
          collecting.get();
          deadLetters = collector.deadLetters();
        } finally {
          // the collector's consumer is not thread-safe: its thread ends before the consumer is closed
          threads.shutdownNow();
          if (!threads.awaitTermination(30, TimeUnit.SECONDS)) {
            err.println("bench chaos: the collector or feeder thread did not stop within 30 s");
          }
        }
      }
      processor.close();
      succeeded = true;
    } finally {
      if (processor != null && !succeeded) {
        processor.kill();
      }
      current.close();
      if (!succeeded) {
        err.printf("bench chaos: failed; logs kept in %s%n", work);
        err.flush();
      } else if (workDir == null) {
        deleteRecursively(work);
      }
    }

    Counts counts = tally.counts(frames);
    out.printf(Locale.ROOT, "chaos: %d frames of %d streams (%dx%d JPEG) at %.0f frames/s, %d processor kills, 1 broker restart, seed %d%n",
        frames, streams, FRAME_WIDTH, FRAME_HEIGHT, rate, kills, seed);
    out.printf(Locale.ROOT, "model %s, batch %d / %d ms, refine %s; Kafka timeouts: Segstream's defaults%n",
        modelSelection.model == null ? "(bundled pets-live)" : modelSelection.model.getFileName(), processorOptions.batchSize,
        processorOptions.batchMaxDelayMs, processorOptions.refine);
    out.printf("frames in: %d%n", fed);
    out.printf("results out: %d%n", counts.results());
    out.printf("lost: %d%n", counts.lost());
    out.printf("duplicated: %d%n", counts.duplicated());
    out.printf("dead letters: %d%n", deadLetters.size());
    if (restartSeconds.isEmpty()) {
      out.println("restart to first result: (no kills)");
    } else {
      List<Double> sorted = restartSeconds.stream().sorted().toList();
      out.printf(Locale.ROOT, "restart to first result (%d restarts): min %.1f s, median %.1f s, max %.1f s%n",
          sorted.size(), sorted.get(0), median(sorted), sorted.get(sorted.size() - 1));
    }
    out.printf(Locale.ROOT, "broker restart: down %.1f s, next result %.1f s after it stopped%n", broker[0], broker[1]);
    out.printf(Locale.ROOT, "machine: %s%n", Machine.describe());
    out.flush();
    if (fed != frames || counts.lost() > 0 || counts.duplicated() > 0) {
      throw new QualityGateException("exactly-once broke under chaos: " + counts.lost() + " frame(s) lost, " + counts.duplicated()
          + " answered more than once (of " + fed + " fed)" + (counts.examples().isEmpty() ? "" : ", e.g. " + counts.examples()));
    }
    return ExitCodes.OK;
  }

  private List<String> processorArgs(KafkaSettings kafka, String run, Path work) {
    List<String> args = new ArrayList<>(List.of(
        "--bootstrap-servers", kafka.bootstrapServers(),
        "--application-id", "segstream-bench-chaos-" + run,
        "--instance-id", "chaos-" + run,
        "--state-dir", work.resolve("state").toString()));
    args.addAll(ProcessorChild.flagsOf(spec, "modelSelection"));
    args.addAll(ProcessorChild.flagsOf(spec, "processorOptions"));
    return args;
  }

  private static void awaitFirstNewResult(ResultTally tally, ProcessorChild processor, Future<?> collecting, Future<Long> feeding)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + PROGRESS_DEADLINE.toNanos();
    while (!tally.awaitFirstAfterMark(Duration.ofMillis(100))) {
      check(processor, collecting, feeding, deadline, "no new result");
    }
  }

  private static void awaitResults(ResultTally tally, int results, ProcessorChild processor, Future<?> collecting,
      Future<Long> feeding) throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + PROGRESS_DEADLINE.toNanos();
    while (!tally.awaitResults(results, Duration.ofMillis(100))) {
      check(processor, collecting, feeding, deadline, "fewer than " + results + " results");
    }
  }

  /** Fails with the cause when the processor, the collector or the feeder stopped, or time ran out. */
  private static void check(ProcessorChild processor, Future<?> collecting, Future<Long> feeding, long deadline, String waitingFor)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (!processor.isAlive()) {
      throw new IllegalStateException("the processor exited by itself; see " + processor.log());
    }
    if (collecting.isDone()) {
      collecting.get(); // its failure, if any
    }
    if (feeding.isDone()) {
      feeding.get();
    }
    if (System.nanoTime() > deadline) {
      throw new TimeoutException(waitingFor + " within " + PROGRESS_DEADLINE.toMinutes() + " min; see " + processor.log());
    }
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** What came back: results per frame, and when the first result produced after a mark arrived. */
  static final class ResultTally {
    private final Set<String> streamIds;
    private final Map<String, Map<Long, Integer>> resultsPerFrame = new HashMap<>();
    private int results;
    private long markMs = Long.MAX_VALUE;
    private long firstAfterMarkMs;

    ResultTally(Set<String> streamIds) {
      this.streamIds = Set.copyOf(streamIds);
      streamIds.forEach(s -> resultsPerFrame.put(s, new HashMap<>()));
    }

    synchronized void add(SegmentationResult r) {
      if (firstAfterMarkMs == 0 && r.getResultWallTimeMs() >= markMs) {
        firstAfterMarkMs = System.currentTimeMillis();
      }
      if (!r.getEndOfStream()) {
        resultsPerFrame.get(r.getStreamId()).merge(r.getSequence(), 1, Integer::sum);
        results++;
      }
      notifyAll();
    }

    /** From now on, wait for a result produced at or after {@code ms} (epoch). */
    synchronized void mark(long ms) {
      markMs = ms;
      firstAfterMarkMs = 0;
    }

    synchronized long firstAfterMarkMs() {
      return firstAfterMarkMs;
    }

    synchronized boolean awaitFirstAfterMark(Duration wait) throws InterruptedException {
      if (firstAfterMarkMs == 0) {
        wait(wait.toMillis());
      }
      return firstAfterMarkMs != 0;
    }

    synchronized boolean awaitResults(int n, Duration wait) throws InterruptedException {
      if (results < n) {
        wait(wait.toMillis());
      }
      return results >= n;
    }

    /** Frames 0..n-1 of the streams fed round robin, as {@link Feeder} numbers them. */
    synchronized Counts counts(int frames) {
      int lost = 0;
      int duplicated = 0;
      List<String> examples = new ArrayList<>();
      List<String> ids = List.copyOf(streamIds).stream().sorted().toList();
      for (int s = 0; s < ids.size(); s++) {
        Map<Long, Integer> perFrame = resultsPerFrame.get(ids.get(s));
        long framesOfStream = Feeder.framesOfStream(frames, ids.size(), s);
        for (long seq = 0; seq < framesOfStream; seq++) {
          int n = perFrame.getOrDefault(seq, 0);
          if (n == 0) {
            lost++;
          } else if (n > 1) {
            duplicated++;
          }
          if (n != 1 && examples.size() < 5) {
            examples.add(ids.get(s) + "#" + seq + " x" + n);
          }
        }
      }
      return new Counts(results, lost, duplicated, examples);
    }
  }

  record Counts(int results, int lost, int duplicated, List<String> examples) {}

  /**
   * Publishes the frames of every stream round robin at a steady rate (each stream's sequence from
   * 0), then an end-of-stream record per stream. An idempotent producer: the broker's restart
   * delays sends but neither loses nor repeats them.
   */
  static final class Feeder {
    private final KafkaSettings kafka;
    private final List<String> streamIds;
    private final int frames;
    private final double rate;
    private final List<List<byte[]>> pictures = new ArrayList<>();

    Feeder(KafkaSettings kafka, List<String> streamIds, int frames, double rate, long seed) {
      this.kafka = kafka;
      this.streamIds = streamIds.stream().sorted().toList();
      this.frames = frames;
      this.rate = rate;
      for (int s = 0; s < streamIds.size(); s++) {
        SyntheticClip clip = new SyntheticClip(seed * 31 + s, FRAME_WIDTH, FRAME_HEIGHT, 2);
        List<byte[]> jpegs = new ArrayList<>();
        for (int i = 0; i < PICTURES_PER_STREAM; i++) {
          jpegs.add(ImageCodec.encodeJpeg(clip.frame(i).image(), 85));
        }
        pictures.add(jpegs);
      }
    }

    /** Stream s of n gets frames s, s + n, s + 2n, ... of the round robin. */
    static long framesOfStream(int frames, int streams, int s) {
      return frames / streams + (s < frames % streams ? 1 : 0);
    }

    /** Returns the number of frames the broker acknowledged (end-of-stream records not counted). */
    long feed() {
      long[] sequences = new long[streamIds.size()];
      AtomicLong acknowledged = new AtomicLong();
      AtomicReference<Exception> failure = new AtomicReference<>();
      long begin = System.nanoTime();
      try (KafkaProducer<String, VideoFrame> producer = new KafkaProducer<>(
          kafka.producerProperties(), Topics.FRAMES.keySerde().serializer(), Topics.FRAMES.valueSerde().serializer())) {
        for (int i = 0; i < frames; i++) {
          long due = begin + (long) (i * 1e9 / rate);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
          if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("interrupted after " + i + " frames");
          }
          int s = i % streamIds.size();
          long seq = sequences[s]++;
          byte[] jpeg = pictures.get(s).get((int) (seq % PICTURES_PER_STREAM));
          producer.send(
              new ProducerRecord<>(Topics.FRAMES.name(), streamIds.get(s), frame(streamIds.get(s), seq, jpeg, false)),
              (metadata, e) -> {
                if (e == null) {
                  acknowledged.incrementAndGet();
                } else {
                  failure.compareAndSet(null, e);
                }
              });
        }
        for (int s = 0; s < streamIds.size(); s++) {
          producer.send(
              new ProducerRecord<>(Topics.FRAMES.name(), streamIds.get(s), frame(streamIds.get(s), sequences[s], new byte[0], true)),
              (metadata, e) -> {
                if (e != null) {
                  failure.compareAndSet(null, e);
                }
              });
        }
        producer.flush();
      }
      if (failure.get() != null) {
        throw new IllegalStateException("the feeder could not publish every frame to " + Topics.FRAMES.name() + ": "
            + failure.get(), failure.get());
      }
      return acknowledged.get();
    }

    private static VideoFrame frame(String streamId, long sequence, byte[] jpeg, boolean endOfStream) {
      return VideoFrame.newBuilder()
          .setStreamId(streamId)
          .setSequence(sequence)
          .setCaptureTimeUs(sequence * 100_000)
          .setCaptureWallTimeMs(System.currentTimeMillis())
          .setWidth(FRAME_WIDTH)
          .setHeight(FRAME_HEIGHT)
          .setEncoding(FrameEncoding.JPEG)
          .setData(ByteBuffer.wrap(jpeg))
          .setSourceUri("synthetic:" + streamId)
          .setDiscontinuity(false)
          .setEndOfStream(endOfStream)
          .build();
    }
  }
}
