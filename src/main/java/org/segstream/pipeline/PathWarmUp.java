package org.segstream.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.segstream.ingest.FileSource;
import org.segstream.ingest.IngestRunner;
import org.segstream.ingest.IngestSettings;
import org.segstream.kafka.KafkaSettings;
import org.segstream.synth.SyntheticClip;
import org.segstream.video.VideoWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run}'s warm-up of the whole path before its sources open: a few seconds of a synthetic clip at a camera's
 * rate, ingested as a stream of its own ({@code warm-up-<id>}) to {@code segstream.frames}, segmented by the
 * processor and read back by a result meter. The processor's model warm-up covers the segmenter alone; without
 * this, a camera's first second meets cold Kafka clients, a cold broker and a JIT compiling all of them, and its
 * frames miss the latency budget (BENCHMARKS.md, "Warming the whole path before a camera"). The warm-up stream's
 * results land on {@code segstream.masks} like any stream's, ended by its end of stream.
 */
final class PathWarmUp implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PathWarmUp.class);
  /** A camera's size: the ingest, the decoder and the model meet the shapes they will meet. */
  static final int WIDTH = 640;
  static final int HEIGHT = 360;
  static final String STREAM_PREFIX = "warm-up-";

  private final Duration length;
  private final Path dir;
  private final FutureTask<Path> clip;
  private final Thread writer;

  private PathWarmUp(Duration length, Path dir) {
    this.length = length;
    this.dir = dir;
    this.clip = new FutureTask<>(() -> writeClip(length, dir));
    this.writer = new Thread(clip, "segstream-warm-up-clip");
    writer.setDaemon(true);
  }

  /**
   * Starts writing {@code length} of the clip on a thread of its own: it is ready by the time the processor has
   * joined its group.
   */
  static PathWarmUp prepare(Duration length) {
    Path dir;
    try {
      dir = Files.createTempDirectory("segstream-warm-up-");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the warm-up clip's directory in " + System.getProperty("java.io.tmpdir"), e);
    }
    PathWarmUp warmUp = new PathWarmUp(length, dir);
    warmUp.writer.start();
    return warmUp;
  }

  /**
   * Sends the clip through the path and waits for its end of stream (at most the clip's length plus
   * {@code timeout}), a stop request or {@code processorFailed}; returns whether it came back. A warm-up that does
   * not come back is logged and the run goes on: it only costs the first frames some latency.
   */
  boolean run(KafkaSettings kafka, Duration timeout, StopSignal stop, BooleanSupplier processorFailed)
      throws InterruptedException {
    long started = System.nanoTime();
    String streamId = STREAM_PREFIX + UUID.randomUUID().toString().substring(0, 8);
    Path video = clip();
    long deadline = System.nanoTime() + length.plus(timeout).toNanos();
    try (ResultMeter results = new ResultMeter(kafka, Set.of(streamId), Duration.ZERO);
        IngestRunner ingest = new IngestRunner(kafka, List.of(new IngestRunner.Stream(new FileSource(video),
            IngestSettings.of(streamId))), Duration.ZERO, frame -> {})) {
      stop.awaitStop(() -> results.allEnded(Set.of(streamId)) || processorFailed.getAsBoolean()
          || System.nanoTime() > deadline);
      ingest.stop();
      ingest.awaitAll();
      boolean back = results.allEnded(Set.of(streamId));
      if (back) {
        log.info("warmed up the whole path with {} frames of stream {} in {} ms", results.count(), streamId,
            (System.nanoTime() - started) / 1_000_000);
      } else if (!stop.stopRequested() && !processorFailed.getAsBoolean()) {
        log.warn("the warm-up stream {} did not come back within {} s ({} results): going on without it", streamId,
            length.plus(timeout).toSeconds(), results.count());
      }
      return back;
    }
  }

  private Path clip() throws InterruptedException {
    try {
      return clip.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("cannot write the warm-up clip: " + cause, cause);
    }
  }

  /** {@code length} of a synthetic scene at its 30 frames/s as an MP4 in {@code dir}. */
  static Path writeClip(Duration length, Path dir) {
    SyntheticClip clip = new SyntheticClip(11, WIDTH, HEIGHT, 2);
    int frames = (int) Math.max(1, Math.round(length.toMillis() * clip.fps() / 1000));
    Path video = dir.resolve("warm-up.mp4");
    try (VideoWriter writer = VideoWriter.open(video, WIDTH, HEIGHT, clip.fps())) {
      for (int i = 0; i < frames; i++) {
        writer.write(clip.frame(i).image());
      }
    }
    return video;
  }

  /** Deletes the clip, once its writer (a few seconds' work at most) is done, so nothing is left behind. */
  @Override
  public void close() {
    try {
      writer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      log.debug("cannot delete {}: {}", dir, e.toString());
    }
  }
}
