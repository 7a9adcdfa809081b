package org.segstream.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.SegmentationResult;
import org.segstream.config.UsageException;
import org.segstream.kafka.AvroSerdes;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segstream tail}: the example downstream consumer. Reads {@code segstream.masks} with
 * {@code read_committed} (only results of committed transactions) and prints one line per result;
 * with {@code --dlq} it reads the dead letters of {@code segstream.frames.dlq} instead.
 */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = {
      "Print the segmentation results on segstream.masks as they arrive (read_committed): one line per result",
      "with stream, sequence, latency from capture to result and class fractions; optionally save the label maps.",
      "With --dlq, print the dead letters of segstream.frames.dlq instead: stage, stream, sequence, the failed",
      "record's topic-partition@offset and the reason; optionally save each failed record's value."
    })
final class TailCommand implements Callable<Integer> {
  /** Stream ids and topic names print at most this many characters (hex: this many digits). */
  static final int MAX_SHOWN_CHARS = 64;
  /** A dead letter's reason prints at most this many characters. */
  static final int MAX_REASON_CHARS = 300;

  @Option(names = "--from-beginning", description = "Start at the oldest record instead of the next new one.")
  boolean fromBeginning;

  @Option(
      names = "--dlq",
      description = "Read the dead letters (segstream.frames.dlq) instead of the results: one line per dead letter, "
          + "<stage> <stream> seq=<n|-> <topic>-<partition>@<offset> reason=<message>.")
  boolean deadLetters;

  @Option(
      names = "--max-results",
      paramLabel = "N",
      defaultValue = "0",
      description = "Stop after N records, end-of-stream markers included (default ${DEFAULT-VALUE}: no limit).")
  long maxResults;

  @Option(
      names = "--save-dir",
      paramLabel = "DIR",
      description = "Write each label map as DIR/<stream>-<sequence, 6 digits>.png (8-bit grey, pixel = class index); "
          + "with --dlq, each failed record's value as DIR/<topic>-<partition>-<offset>.bin. An existing file is an "
          + "error (exit 2) unless --overwrite is given.")
  Path saveDir;

  @Option(names = "--overwrite", description = "Let --save-dir replace files that exist (default: stop with exit code 2).")
  boolean overwrite;

  @Option(
      names = "--timeout-ms",
      paramLabel = "MS",
      defaultValue = "0",
      description = "Stop when no record arrives for MS milliseconds (default ${DEFAULT-VALUE}: wait forever).")
  long timeoutMs;

  @Mixin KafkaOptions kafka;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (maxResults < 0 || timeoutMs < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--max-results and --timeout-ms must be 0 or more");
    }
    if (saveDir != null) {
      try {
        Files.createDirectories(saveDir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the --save-dir " + saveDir + ": " + e.getMessage(), e);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    KafkaSettings settings = kafka.settings();
    // a fresh group that commits nothing: every tail sees the topic on its own, and leaves no offsets behind
    Properties props = settings.consumerProperties("segstream-tail-" + UUID.randomUUID(), true);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    if (deadLetters) {
      // a dead letter carries a whole frame: fetch the largest one the topic takes
      props.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(KafkaSettings.MAX_REQUEST_BYTES));
    }
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      CountDownLatch done = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        consumer.wakeup(); // Ctrl-C: leave poll() and close the consumer cleanly
        try {
          done.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "segstream-tail-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        consume(consumer, out, err);
      } catch (WakeupException e) {
        // asked to stop
      } finally {
        done.countDown();
        IngestCommand.removeHook(hook);
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  private void consume(KafkaConsumer<byte[], byte[]> consumer, PrintWriter out, PrintWriter err) {
    consumer.subscribe(List.of(deadLetters ? Topics.DLQ.name() : Topics.MASKS.name()));
    long seen = 0;
    long lastArrival = System.nanoTime();
    while (maxResults == 0 || seen < maxResults) {
      var records = consumer.poll(Duration.ofMillis(200));
      if (records.isEmpty()) {
        if (timeoutMs > 0 && System.nanoTime() - lastArrival > TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
          return;
        }
        continue;
      }
      lastArrival = System.nanoTime();
      for (ConsumerRecord<byte[], byte[]> record : records) {
        boolean shown = deadLetters ? showDeadLetter(record, out, err) : showResult(record, out, err);
        if (!shown) {
          continue;
        }
        out.flush();
        seen++;
        if (maxResults > 0 && seen >= maxResults) {
          return;
        }
      }
    }
  }

  private boolean showResult(ConsumerRecord<byte[], byte[]> record, PrintWriter out, PrintWriter err) {
    SegmentationResult result;
    try {
      result = Topics.MASKS.valueSerde().deserializer().deserialize(record.topic(), record.value());
      if (result == null) {
        throw new IllegalArgumentException("empty record value (a tombstone)");
      }
    } catch (RuntimeException e) {
      err.println("segstream tail: skipping " + position(record) + ": not a SegmentationResult (" + printable(e.getMessage(), MAX_REASON_CHARS) + ")");
      return false;
    }
    out.println(describe(result));
    if (saveDir != null && !result.getEndOfStream()) {
      saveLabelMap(saveDir, result, overwrite);
    }
    return true;
  }

  private boolean showDeadLetter(ConsumerRecord<byte[], byte[]> record, PrintWriter out, PrintWriter err) {
    DeadLetter letter;
    try {
      letter = Topics.DLQ.valueSerde().deserializer().deserialize(record.topic(), record.value());
      if (letter == null) {
        throw new IllegalArgumentException("empty record value (a tombstone)");
      }
    } catch (RuntimeException e) {
      err.println("segstream tail: skipping " + position(record) + ": not a DeadLetter (" + printable(e.getMessage(), MAX_REASON_CHARS) + ")");
      return false;
    }
    byte[] payload = bytes(letter.getValue());
    out.println(describe(letter, record.key(), payload));
    if (saveDir != null) {
      writeFile(saveDir.resolve(payloadName(letter)), payload, overwrite);
    }
    return true;
  }

  private static String position(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }

  /**
   * One line per result: {@code <stream> seq=<n> latency=<ms>ms <w>x<h> <class>=<percent>% ... contours=<n>},
   * or {@code <stream> seq=<n> end-of-stream}.
   */
  static String describe(SegmentationResult result) {
    StringBuilder line = new StringBuilder();
    line.append(printable(result.getStreamId(), MAX_SHOWN_CHARS)).append(" seq=").append(result.getSequence());
    if (result.getEndOfStream()) {
      return line.append(" end-of-stream").toString();
    }
    line.append(" latency=").append(result.getResultWallTimeMs() - result.getCaptureWallTimeMs()).append("ms");
    line.append(' ').append(result.getWidth()).append('x').append(result.getHeight());
    List<String> names = result.getClassNames();
    List<Float> fractions = result.getClassFractions();
    for (int k = 0; k < fractions.size(); k++) {
      String name = k < names.size() ? names.get(k).replaceAll("\\s+", "_") : "class" + k;
      line.append(' ').append(name).append('=').append(String.format(Locale.ROOT, "%.1f%%", 100 * fractions.get(k)));
    }
    line.append(" contours=").append(result.getContours().size());
    return line.toString();
  }

  /**
   * One line per dead letter: {@code <stage> <stream> seq=<n|-> <topic>-<partition>@<offset> reason=<message>}.
   * The stream is the failed record's key (the letter's, else the dead-letter record's own): as text
   * when it is printable UTF-8, else {@code 0x} and hex; {@code -} when there is none. The sequence
   * is the failed record's when its value decodes as a VideoFrame. Everything comes from record data,
   * so every part is cut short and stripped of control characters.
   */
  static String describe(DeadLetter letter, byte[] recordKey, byte[] payload) {
    byte[] key = letter.getKey() != null ? bytes(letter.getKey()) : recordKey;
    return letter.getStage() + " " + streamOf(key) + " seq=" + sequenceOf(payload) + " "
        + printable(letter.getTopic(), MAX_SHOWN_CHARS) + "-" + letter.getPartition() + "@" + letter.getOffset()
        + " reason=" + printable(letter.getErrorMessage(), MAX_REASON_CHARS);
  }

  /** A key as a stream id: printable UTF-8 as it is, anything else as hex; at most {@link #MAX_SHOWN_CHARS}. */
  static String streamOf(byte[] key) {
    if (key == null) {
      return "-";
    }
    String text = printableUtf8(key);
    if (text != null) {
      return text.length() <= MAX_SHOWN_CHARS ? text : text.substring(0, MAX_SHOWN_CHARS) + "...";
    }
    int shownBytes = Math.min(key.length, MAX_SHOWN_CHARS / 2);
    String hex = "0x" + HexFormat.of().formatHex(key, 0, shownBytes);
    return shownBytes < key.length ? hex + "...(" + key.length + " bytes)" : hex;
  }

  /** The key as text when it is well-formed UTF-8 of visible characters only (no spaces, controls or format marks). */
  private static String printableUtf8(byte[] key) {
    if (key.length == 0) {
      return null;
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(key))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    boolean visible = text.codePoints().allMatch(c -> !Character.isISOControl(c) && !Character.isWhitespace(c)
        && Character.isDefined(c) && Character.getType(c) != Character.FORMAT && Character.getType(c) != Character.PRIVATE_USE
        && Character.getType(c) != Character.SURROGATE);
    return visible ? text : null;
  }

  /** The frame's sequence when the failed record's value decodes as a VideoFrame, else {@code -}. */
  static String sequenceOf(byte[] payload) {
    try {
      return Long.toString(AvroSerdes.frameCodec().decode(payload).getSequence());
    } catch (RuntimeException e) {
      return "-";
    }
  }

  /** Free text from record data on one line: control characters as spaces, at most {@code max} characters. */
  static String printable(String text, int max) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), max));
    for (int i = 0; i < text.length() && out.length() < max; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? ' ' : c);
    }
    return out.length() < text.length() ? out + "..." : out.toString();
  }

  /** {@code <topic>-<partition>-<offset>.bin} of the failed record, the topic made safe for a file name. */
  static String payloadName(DeadLetter letter) {
    return safeFileName(letter.getTopic()) + "-" + letter.getPartition() + "-" + letter.getOffset() + ".bin";
  }

  /** {@code <stream>-<sequence, 6 digits>.png}, the stream id made safe for a file name. */
  static String pngName(String streamId, long sequence) {
    return safeFileName(streamId) + "-" + String.format(Locale.ROOT, "%06d", sequence) + ".png";
  }

  private static String safeFileName(String text) {
    String safe = text.replaceAll("[^A-Za-z0-9._-]", "_");
    if (safe.length() > MAX_SHOWN_CHARS) {
      safe = safe.substring(0, MAX_SHOWN_CHARS);
    }
    return safe.isEmpty() || safe.chars().allMatch(c -> c == '.') ? "_" + safe : safe;
  }

  /** Writes the result's label map PNG (as published) into the directory; returns the file. */
  static Path saveLabelMap(Path dir, SegmentationResult result, boolean overwrite) {
    Path file = dir.resolve(pngName(result.getStreamId(), result.getSequence()));
    writeFile(file, bytes(result.getLabelMapPng()), overwrite);
    return file;
  }

  /**
   * Writes the file; one that exists is replaced only with {@code overwrite}.
   *
   * @throws UsageException when the file exists and {@code overwrite} is false (exit code 2)
   */
  static void writeFile(Path file, byte[] bytes, boolean overwrite) {
    try {
      if (overwrite) {
        Files.write(file, bytes);
      } else {
        Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      }
    } catch (FileAlreadyExistsException e) {
      throw new UsageException("tail --save-dir: " + file + " exists: give --overwrite to replace it, or an empty --save-dir");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return bytes;
  }
}
