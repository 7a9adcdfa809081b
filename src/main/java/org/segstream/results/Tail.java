package org.segstream.results;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.SegmentationResult;
import org.segstream.config.InvalidSettingException;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topics;

/**
 * The example downstream consumer: prints one line per result of {@code segstream.masks} (read_committed), or per
 * dead letter of {@code segstream.frames.dlq}, as they arrive ({@link ResultLines}, or JSON: {@link ResultJson}), and optionally saves each
 * label map or failed value ({@link SavedFiles}). A record that is neither is skipped with a line on the error
 * writer. One thread {@link #run}s it; {@link #stop} ends it from another (Ctrl-C).
 */
public final class Tail implements AutoCloseable {
  private final Request request;
  private final ResultsConsumer consumer;
  private final CountDownLatch done = new CountDownLatch(1);
  private long shown;

  /**
   * @param deadLetters read the dead letters instead of the results
   * @param maxRecords stop after this many records, end-of-stream markers included (0: no limit)
   * @param saveDir save each label map or failed value here, or null
   * @param overwrite let saving replace files that exist
   * @param idle stop when no record arrives for this long ({@link Duration#ZERO}: wait forever)
   * @param json one JSON object per line ({@link ResultJson}) instead of the text line ({@link ResultLines})
   */
  public record Request(boolean fromBeginning, boolean deadLetters, long maxRecords, Path saveDir, boolean overwrite,
      Duration idle, boolean json) {
    public Request {
      if (maxRecords < 0) {
        throw new InvalidSettingException("max-results", "the number of records to print must be 0 (no limit) or more, got "
            + maxRecords);
      }
      if (idle.isNegative()) {
        throw new InvalidSettingException("timeout-ms", "the idle time must be 0 (wait forever) or more, got " + idle);
      }
    }
  }

  private Tail(Request request, ResultsConsumer consumer) {
    this.request = request;
    this.consumer = consumer;
  }

  /** Creates the save directory and subscribes, in a fresh group that commits nothing. */
  public static Tail open(Request request, KafkaSettings settings) {
    if (request.saveDir() != null) {
      try {
        Files.createDirectories(request.saveDir());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the directory " + request.saveDir() + " to save into: " + e.getMessage(), e);
      }
    }
    return new Tail(request, ResultsConsumer.subscribed(settings, "segstream-tail",
        request.deadLetters() ? Topics.DLQ : Topics.MASKS, request.fromBeginning()));
  }

  /** Prints until the record limit, the idle time or {@link #stop}; returns how many records it printed. */
  public long run(PrintWriter out, PrintWriter err) {
    try {
      consumer.read(new Printer(out, err), request.idle(), Duration.ZERO);
      out.flush();
      return shown;
    } finally {
      done.countDown();
    }
  }

  /** Asks {@link #run} to return, and waits up to {@code wait} until it has. */
  public void stop(Duration wait) {
    consumer.stop();
    try {
      done.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    consumer.close();
  }

  private final class Printer implements ResultsConsumer.Handler {
    private final PrintWriter out;
    private final PrintWriter err;

    Printer(PrintWriter out, PrintWriter err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public boolean result(SegmentationResult result) {
      out.println(request.json() ? ResultJson.describe(result) : ResultLines.describe(result));
      // a frame skipped to keep the latency budget has no label map to save
      if (request.saveDir() != null && !result.getEndOfStream() && result.getLabelMapPng().hasRemaining()) {
        SavedFiles.saveLabelMap(request.saveDir(), result, request.overwrite());
      }
      return shown();
    }

    @Override
    public boolean deadLetter(DeadLetter letter, byte[] recordKey) {
      byte[] payload = ResultLines.bytes(letter.getValue());
      out.println(request.json() ? ResultJson.describe(letter, recordKey, payload)
          : ResultLines.describe(letter, recordKey, payload));
      if (request.saveDir() != null) {
        SavedFiles.savePayload(request.saveDir(), letter, payload, request.overwrite());
      }
      return shown();
    }

    @Override
    public void skipped(ResultsConsumer.Skipped record) {
      err.println("segstream tail: skipping " + record.position() + ": not a " + record.expected() + " ("
          + ResultLines.printable(record.reason(), ResultLines.MAX_REASON_CHARS) + ")");
    }

    /** Counts the record just printed; whether to read on. */
    private boolean shown() {
      out.flush();
      shown++;
      return request.maxRecords() == 0 || shown < request.maxRecords();
    }
  }
}
