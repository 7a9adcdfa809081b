package org.segstream.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.segstream.config.InvalidSettingException;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.kafka.KafkaSettings;
import org.segstream.process.ProcessorSettings;
import org.segstream.results.StreamCollector;

/**
 * Synthetic streams at a steady rate through an embedded broker (a log directory that survives its restart) into
 * {@code process} child JVMs, while the processor is killed hard and restarted with the same instance id and state
 * directory, and the broker is restarted once ({@link ChaosPlan}). Counts, under read_committed, the frames with no
 * result and with more than one. Always an embedded broker: it is restarted, which a given cluster cannot be.
 */
public final class ChaosBenchmark {
  /** A restarted or running processor that produces nothing for this long has failed. */
  private static final Duration PROGRESS_DEADLINE = Duration.ofMinutes(3);

  private final Request request;
  private final Path work;
  private final PrintWriter err;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final ResultTally tally;
  private final Set<String> streamIds = new LinkedHashSet<>();
  private final List<Double> restartSeconds = new ArrayList<>();
  private EmbeddedBroker broker;
  private ProcessorChild processor;
  private double brokerDownSeconds;
  private double brokerNextResultSeconds;

  /**
   * @param rate frames per second over all streams
   * @param workDir keep the broker's log, the processor's state and logs here, or null for a temporary directory
   *     deleted after a run that passed
   * @param settings the processor's settings (for the header; the launcher carries their flags)
   * @param model the processor's model directory, or null for the bundled one (for the header)
   */
  public record Request(int frames, int streams, int kills, double rate, long seed, Path workDir,
      ProcessorChild.Launcher launcher, ProcessorSettings settings, Path model) {
    public Request {
      if (streams < 1 || frames < streams) {
        throw new InvalidSettingException("frames", "streams must be at least 1 and frames at least as many as streams ("
            + streams + "), got " + frames);
      }
      if (kills < 0 || kills + 1 > frames / 2) {
        throw new InvalidSettingException("kills", "processor kills must be 0.." + (frames / 2 - 1) + " for " + frames
            + " frames, got " + kills);
      }
      if (!(rate > 0)) {
        throw new InvalidSettingException("rate", "the feeding rate must be positive frames/s, got " + rate);
      }
    }
  }

  private ChaosBenchmark(Request request, Path work, PrintWriter err) {
    this.request = request;
    this.work = work;
    this.err = err;
    for (int s = 0; s < request.streams(); s++) {
      streamIds.add("chaos-" + run + "-" + s);
    }
    this.tally = new ResultTally(streamIds);
  }

  /** Runs the plan; progress lines (cold start, each disruption) go to {@code err}. */
  public static ChaosResult run(Request request, PrintWriter err) throws Exception {
    Path work = request.workDir() != null ? Files.createDirectories(request.workDir())
        : Files.createTempDirectory("segstream-bench-chaos-");
    err.printf("bench chaos: work directory %s (broker log, state directory, processor logs)%n", work);
    err.flush();
    return new ChaosBenchmark(request, work, err).run();
  }

  private ChaosResult run() throws Exception {
    broker = EmbeddedBroker.start(EmbeddedBroker.Settings.defaults().withDataDir(work.resolve("kafka")));
    boolean succeeded = false;
    try {
      ChaosResult result = feedAndDisrupt(broker.settings()); // the same address across the broker's restart
      processor.close();
      succeeded = true;
      return result;
    } finally {
      if (processor != null && !succeeded) {
        processor.kill();
      }
      broker.close();
      if (!succeeded) {
        err.printf("bench chaos: failed; logs kept in %s%n", work);
        err.flush();
      } else if (request.workDir() == null) {
        deleteRecursively(work);
      }
    }
  }

  private ChaosResult feedAndDisrupt(KafkaSettings kafka) throws Exception {
    List<String> args = List.of("--bootstrap-servers", kafka.bootstrapServers(), "--application-id", "segstream-bench-chaos-" + run,
        "--instance-id", "chaos-" + run, "--state-dir", work.resolve("state").toString());
    ChaosFeeder feeder = new ChaosFeeder(kafka, List.copyOf(streamIds), request.frames(), request.rate(), request.seed());
    try (StreamCollector collector = StreamCollector.open(kafka, streamIds)) {
      ExecutorService threads = Executors.newFixedThreadPool(2, r -> new Thread(r, "segstream-chaos-" + UUID.randomUUID()));
      try {
        long startedMs = System.currentTimeMillis();
        tally.mark(startedMs);
        processor = request.launcher().start(args, work.resolve("processor-0.log"));
        Duration timeout = Duration.ofSeconds((long) (request.frames() / request.rate()) + 120L * (request.kills() + 2));
        Future<?> collecting = threads.submit(() -> collector.collectUntilEndOfStream(timeout, tally::add));
        Future<Long> feeding = threads.submit(feeder::feed);
        awaitFirstNewResult(collecting, feeding);
        err.printf(Locale.ROOT, "bench chaos: first result %.1f s after the processor started (cold start)%n",
            (tally.firstAfterMarkMs() - startedMs) / 1000.0);
        for (ChaosPlan.Event event : ChaosPlan.plan(request.seed(), request.kills(), request.frames())) {
          disrupt(event, args, collecting, feeding);
        }
        long fed = feeding.get();
        collecting.get();
        return result(fed, collector.deadLetters().size());
      } finally {
        // the collector's consumer is not thread-safe: its thread ends before the consumer is closed
        collector.stop();
        threads.shutdownNow();
        if (!threads.awaitTermination(30, TimeUnit.SECONDS)) {
          err.println("bench chaos: the collector or feeder thread did not stop within 30 s");
        }
      }
    }
  }

  /** Waits for the event's share of results, then restarts the broker or kills and restarts the processor. */
  private void disrupt(ChaosPlan.Event event, List<String> args, Future<?> collecting, Future<Long> feeding) throws Exception {
    awaitResults(event.atResults(), collecting, feeding);
    long begin = System.currentTimeMillis();
    tally.mark(begin);
    if (event.brokerRestart()) {
      broker = broker.restart();
      long back = System.currentTimeMillis();
      awaitFirstNewResult(collecting, feeding);
      brokerDownSeconds = (back - begin) / 1000.0;
      brokerNextResultSeconds = (tally.firstAfterMarkMs() - begin) / 1000.0;
      err.printf(Locale.ROOT, "bench chaos: broker restarted at %d results: down %.1f s, next result %.1f s after it stopped%n",
          event.atResults(), brokerDownSeconds, brokerNextResultSeconds);
    } else {
      processor.kill();
      long restartedMs = System.currentTimeMillis();
      tally.mark(restartedMs);
      processor = request.launcher().start(args, work.resolve("processor-" + (restartSeconds.size() + 1) + ".log"));
      awaitFirstNewResult(collecting, feeding);
      double seconds = (tally.firstAfterMarkMs() - restartedMs) / 1000.0;
      restartSeconds.add(seconds);
      err.printf(Locale.ROOT, "bench chaos: kill %d at %d results: restart to first result %.1f s%n",
          restartSeconds.size(), event.atResults(), seconds);
    }
    err.flush();
  }

  private ChaosResult result(long fed, int deadLetters) {
    ResultTally.Counts counts = tally.counts(request.frames());
    ProcessorSettings s = request.settings();
    String setup = String.format(Locale.ROOT, "model %s, batch %d / %d ms, refine %s; Kafka timeouts: Segstream's defaults",
        request.model() == null ? "(bundled pets-live)" : request.model().getFileName(), s.batchSize(),
        s.batchMaxDelay().toMillis(), Refinements.label(s));
    return new ChaosResult(request, setup, fed, counts.results(), counts.lost(), counts.duplicated(), counts.examples(),
        deadLetters, restartSeconds, brokerDownSeconds, brokerNextResultSeconds);
  }

  private void awaitFirstNewResult(Future<?> collecting, Future<Long> feeding)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + PROGRESS_DEADLINE.toNanos();
    while (!tally.awaitFirstAfterMark(Duration.ofMillis(100))) {
      check(collecting, feeding, deadline, "no new result");
    }
  }

  private void awaitResults(int results, Future<?> collecting, Future<Long> feeding)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + PROGRESS_DEADLINE.toNanos();
    while (!tally.awaitResults(results, Duration.ofMillis(100))) {
      check(collecting, feeding, deadline, "fewer than " + results + " results");
    }
  }

  /** Fails with the cause when the processor, the collector or the feeder stopped, or time ran out. */
  private void check(Future<?> collecting, Future<Long> feeding, long deadline, String waitingFor)
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

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
