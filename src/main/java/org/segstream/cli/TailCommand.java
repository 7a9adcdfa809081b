package org.segstream.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.segstream.avro.SegmentationResult;
import org.segstream.kafka.AvroSerdes;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topic;
import org.segstream.kafka.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segstream tail}: the example downstream consumer. Reads {@code segstream.masks} with
 * {@code read_committed} (only results of committed transactions) and prints one line per result.
 */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = {
      "Print the segmentation results on segstream.masks as they arrive (read_committed): one line per result",
      "with stream, sequence, latency from capture to result and class fractions; optionally save the label maps."
    })
final class TailCommand implements Callable<Integer> {

  @Option(names = "--from-beginning", description = "Start at the oldest result instead of the next new one.")
  boolean fromBeginning;

  @Option(
      names = "--max-results",
      paramLabel = "N",
      defaultValue = "0",
      description = "Stop after N records, end-of-stream markers included (default ${DEFAULT-VALUE}: no limit).")
  long maxResults;

  @Option(
      names = "--save-dir",
      paramLabel = "DIR",
      description = "Write each label map as DIR/<stream>-<sequence, 6 digits>.png (8-bit grey, pixel = class index).")
  Path saveDir;

  @Option(
      names = "--timeout-ms",
      paramLabel = "MS",
      defaultValue = "0",
      description = "Stop when no result arrives for MS milliseconds (default ${DEFAULT-VALUE}: wait forever).")
  long timeoutMs;

  @Mixin KafkaOptions kafka;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The topic read; tests point it elsewhere. */
  Topic<String, SegmentationResult> topic = Topics.MASKS;

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
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
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

  private void consume(KafkaConsumer<String, byte[]> consumer, PrintWriter out, PrintWriter err) {
    consumer.subscribe(List.of(topic.name()));
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
      for (ConsumerRecord<String, byte[]> record : records) {
        SegmentationResult result;
        try {
          result = topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
        } catch (RuntimeException e) {
          err.println("segstream tail: skipping " + record.topic() + "-" + record.partition() + "@" + record.offset()
              + ": not a SegmentationResult (" + e.getMessage() + ")");
          continue;
        }
        out.println(describe(result));
        if (saveDir != null && !result.getEndOfStream()) {
          saveLabelMap(saveDir, result);
        }
        out.flush();
        seen++;
        if (maxResults > 0 && seen >= maxResults) {
          return;
        }
      }
    }
  }

  /**
   * One line per result: {@code <stream> seq=<n> latency=<ms>ms <w>x<h> <class>=<percent>% ... contours=<n>},
   * or {@code <stream> seq=<n> end-of-stream}.
   */
  static String describe(SegmentationResult result) {
    StringBuilder line = new StringBuilder();
    line.append(result.getStreamId()).append(" seq=").append(result.getSequence());
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

  /** {@code <stream>-<sequence, 6 digits>.png}, the stream id made safe for a file name. */
  static String pngName(String streamId, long sequence) {
    return streamId.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + String.format(Locale.ROOT, "%06d", sequence) + ".png";
  }

  /** Writes the result's label map PNG (as published) into the directory; returns the file. */
  static Path saveLabelMap(Path dir, SegmentationResult result) {
    Path file = dir.resolve(pngName(result.getStreamId(), result.getSequence()));
    ByteBuffer png = result.getLabelMapPng().duplicate();
    byte[] bytes = new byte[png.remaining()];
    png.get(bytes);
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }
}
