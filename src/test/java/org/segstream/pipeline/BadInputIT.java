package org.segstream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.DeadLetterStage;
import org.segstream.avro.FrameEncoding;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.VideoFrame;
import org.segstream.kafka.AvroSerdes;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.kafka.Topics;
import org.segstream.testing.BadImages;
import org.segstream.testing.TestModels;

/**
 * {@code process} as a child JVM with a 512 MiB heap, fed bad records of many kinds between good
 * frames on a real broker: it never stops, answers the good frames after every bad one, gives every
 * good frame exactly one result and every bad record exactly one dead letter (with its stage and a
 * reason), and its heap after a forced GC ends within 64 MiB of where it was after the first 100 good
 * frames.
 */
class BadInputIT {
  private static final String HEAP = "512m";
  private static final long HEAP_GROWTH_LIMIT = 64L * 1024 * 1024;
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
  private static final byte[] GOOD_JPEG = BadImages.jpeg(64, 48);

  @TempDir Path dir;

  /** A bad record: its key and value as sent, and the stage its dead letter must name. */
  record Bad(String name, byte[] key, byte[] value, DeadLetterStage stage) {}

  /** An odd record that is still a frame: it must get exactly one result (stream {@code streamId}). */
  record Odd(String name, byte[] key, VideoFrame frame) {}

  static VideoFrame frame(String stream, long sequence, int width, int height, FrameEncoding encoding, byte[] data) {
    return VideoFrame.newBuilder()
        .setStreamId(stream)
        .setSequence(sequence)
        .setCaptureTimeUs(sequence * 33_333)
        .setCaptureWallTimeMs(System.currentTimeMillis())
        .setWidth(width)
        .setHeight(height)
        .setEncoding(encoding)
        .setData(ByteBuffer.wrap(data))
        .setSourceUri("test:bad-input")
        .setDiscontinuity(false)
        .setEndOfStream(false)
        .build();
  }

  static byte[] bytes(VideoFrame f) {
    return AvroSerdes.frameCodec().encode(f);
  }

  static byte[] jpegFrame(int width, int height, byte[] data) {
    return bytes(frame("bad", 0, width, height, FrameEncoding.JPEG, data));
  }

  /** The single-object header with the VideoFrame fingerprint, then {@code body}. */
  static byte[] withHeader(long fingerprint, int... body) {
    byte[] out = new byte[10 + body.length];
    out[0] = (byte) 0xC3;
    out[1] = 0x01;
    for (int i = 0; i < 8; i++) {
      out[2 + i] = (byte) (fingerprint >>> (8 * i));
    }
    for (int i = 0; i < body.length; i++) {
      out[10 + i] = (byte) body[i];
    }
    return out;
  }

  static int[] varint(long v) {
    long zz = (v << 1) ^ (v >> 63);
    List<Integer> out = new ArrayList<>();
    while ((zz & ~0x7FL) != 0) {
      out.add((int) ((zz & 0x7f) | 0x80));
      zz >>>= 7;
    }
    out.add((int) zz);
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Confluent's framing: 00, the schema id (4 bytes, big-endian), then {@code body}. */
  static byte[] confluentFramed(int schemaId, byte[] body) {
    return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(schemaId).put(body).array();
  }

  static byte[] toBytes(int[] values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  static int[] concat(int[]... parts) {
    return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
  }

  static List<Bad> badRecords() {
    long fp = AvroSerdes.frameCodec().fingerprint();
    byte[] valid = jpegFrame(64, 48, GOOD_JPEG);
    byte[] random = new byte[1024];
    new Random(13).nextBytes(random);
    byte[] wrongMagic = valid.clone();
    wrongMagic[1] = 0x02;
    byte[] trailing = Arrays.copyOf(valid, valid.length + 3);
    int[] cam = concat(varint(3), new int[] {'c', 'a', 'm'});
    int[] upToEncoding = concat(cam, varint(1), varint(2), varint(3), varint(64), varint(48));
    byte[] bmp = new byte[54];
    bmp[0] = 'B';
    bmp[1] = 'M';
    bmp[10] = 54;
    bmp[14] = 40;
    bmp[18] = 64;
    bmp[22] = 48;
    byte[] key = "bad".getBytes(StandardCharsets.UTF_8);
    byte[] hugeKey = new byte[1024 * 1024];
    Arrays.fill(hugeKey, (byte) 'k');
    DeadLetterStage des = DeadLetterStage.DESERIALIZE;
    DeadLetterStage dec = DeadLetterStage.DECODE;
    return List.of(
        new Bad("tombstone", key, null, des),
        new Bad("empty bytes", key, new byte[0], des),
        new Bad("random bytes", key, random, des),
        new Bad("JSON", key, "{\"streamId\":\"cam\",\"width\":64}".getBytes(StandardCharsets.UTF_8), des),
        new Bad("wrong magic", key, wrongMagic, des),
        new Bad("unknown fingerprint", key, withHeader(0x1234_5678_9ABC_DEF0L, cam), des),
        new Bad("a 2e9-byte string in 15 bytes", key, withHeader(fp, varint(2_000_000_000L)), des),
        new Bad("negative string length", key, withHeader(fp, varint(-5)), des),
        new Bad("data length 2^40", key, withHeader(fp, concat(upToEncoding, varint(0), varint(1L << 40))), des),
        new Bad("varint of 11 bytes", key, withHeader(fp, concat(cam, new int[] {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01})), des),
        new Bad("enum index 7", key, withHeader(fp, concat(upToEncoding, varint(7))), des),
        new Bad("truncated body", key, Arrays.copyOf(valid, valid.length / 2), des),
        new Bad("trailing garbage", key, trailing, des),
        new Bad("width 0", key, jpegFrame(0, 48, GOOD_JPEG), des),
        new Bad("negative height", key, jpegFrame(64, -48, GOOD_JPEG), des),
        new Bad("no data, not the end of the stream", key, jpegFrame(64, 48, new byte[0]), des),
        new Bad("empty stream id", key, bytes(frame("", 0, 64, 48, FrameEncoding.JPEG, GOOD_JPEG)), des),
        new Bad("a 10000-char stream id", key, bytes(frame("s".repeat(10_000), 0, 64, 48, FrameEncoding.JPEG, GOOD_JPEG)), des),
        new Bad("null key, JSON value", null, "{}".getBytes(StandardCharsets.UTF_8), des),
        new Bad("1 MiB key, random value", hugeKey, random, des),
        // Confluent framing to a processor without a registry (ConfluentFormatIT has the cases with one)
        new Bad("Confluent-framed frame, no registry", key, confluentFramed(7, Arrays.copyOfRange(valid, 10, valid.length)), des),
        new Bad("truncated Confluent framing", key, new byte[] {0, 0, 7}, des),
        new Bad("JPEG declaring 30000x30000", key, jpegFrame(64, 48, BadImages.jpegDeclaring(30000, 30000)), dec),
        new Bad("JPEG declaring 30000x30000, record too", key, jpegFrame(30000, 30000, BadImages.jpegDeclaring(30000, 30000)), dec),
        new Bad("PNG declaring 30000x30000", key,
            bytes(frame("bad", 0, 30000, 30000, FrameEncoding.PNG, BadImages.pngDeclaring(30000, 30000))), dec),
        new Bad("encoding PNG, content JPEG", key, bytes(frame("bad", 0, 64, 48, FrameEncoding.PNG, GOOD_JPEG)), dec),
        new Bad("encoding JPEG, content BMP", key, jpegFrame(64, 48, bmp), dec),
        new Bad("declared 640x480, header 64x48", key, jpegFrame(640, 480, GOOD_JPEG), dec),
        new Bad("RAW_BGR 65536x65536", key, bytes(frame("bad", 0, 65536, 65536, FrameEncoding.RAW_BGR, new byte[30])), dec),
        new Bad("RAW_BGR of the wrong length", key, bytes(frame("bad", 0, 8, 8, FrameEncoding.RAW_BGR, new byte[191])), dec),
        new Bad("truncated JPEG", key, jpegFrame(64, 48, BadImages.truncated(GOOD_JPEG, 0.6)), dec),
        new Bad("truncated PNG", key,
            bytes(frame("bad", 0, 64, 48, FrameEncoding.PNG, BadImages.truncated(BadImages.png(64, 48), 0.5))), dec),
        new Bad("JPEG without a frame header", key, jpegFrame(64, 48, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9}), dec),
        new Bad("garbage image bytes", key, jpegFrame(64, 48, "no image here".getBytes(StandardCharsets.UTF_8)), dec));
  }

  static List<Odd> oddButValid() {
    byte[] hugeKey = new byte[1024 * 1024];
    Arrays.fill(hugeKey, (byte) 'q');
    byte[] raw = new byte[3 * 16 * 12];
    new Random(5).nextBytes(raw);
    VideoFrame endOfStream = VideoFrame.newBuilder(frame("odd-eos", 0, -1, -1, FrameEncoding.JPEG, new byte[0])).setEndOfStream(true).build();
    return List.of(
        new Odd("null key, good frame", null, frame("odd-null-key", 0, 64, 48, FrameEncoding.JPEG, GOOD_JPEG)),
        new Odd("1 MiB key, good frame", hugeKey, frame("odd-huge-key", 0, 64, 48, FrameEncoding.JPEG, GOOD_JPEG)),
        new Odd("a 1x1 frame", "odd".getBytes(StandardCharsets.UTF_8), frame("odd-1x1", 0, 1, 1, FrameEncoding.JPEG, BadImages.jpeg(1, 1))),
        new Odd("a PNG frame", "odd".getBytes(StandardCharsets.UTF_8), frame("odd-png", 0, 64, 48, FrameEncoding.PNG, BadImages.png(64, 48))),
        new Odd("a RAW_BGR frame", "odd".getBytes(StandardCharsets.UTF_8), frame("odd-raw", 0, 16, 12, FrameEncoding.RAW_BGR, raw)),
        new Odd("end of stream with sizes -1x-1", "odd".getBytes(StandardCharsets.UTF_8), endOfStream));
  }

  /** Reads results and dead letters (read_committed) from the start of both topics. */
  private static final class Outcomes implements AutoCloseable {
    final KafkaConsumer<byte[], byte[]> consumer;
    final Map<String, Integer> resultsPerFrame = new TreeMap<>();
    final Map<String, List<DeadLetter>> lettersPerRecord = new HashMap<>();

    Outcomes(EmbeddedBroker broker) {
      consumer = new KafkaConsumer<>(
          broker.settings().consumerProperties("bad-input-reader", true), new ByteArrayDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < Topics.MASKS.partitions(); p++) {
        partitions.add(new TopicPartition(Topics.MASKS.name(), p));
      }
      partitions.add(new TopicPartition(Topics.DLQ.name(), 0));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }

    void poll() {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
        if (r.topic().equals(Topics.MASKS.name())) {
          SegmentationResult result = AvroSerdes.resultCodec().decode(r.value());
          resultsPerFrame.merge(result.getStreamId() + "#" + result.getSequence(), 1, Integer::sum);
        } else {
          DeadLetter letter = AvroSerdes.deadLetterCodec().decode(r.value());
          lettersPerRecord.computeIfAbsent(letter.getPartition() + "@" + letter.getOffset(), k -> new ArrayList<>()).add(letter);
        }
      }
    }

    int results(String stream, long sequence) {
      return resultsPerFrame.getOrDefault(stream + "#" + sequence, 0);
    }

    @Override
    public void close() {
      consumer.close();
    }
  }

  @Test
  void theProcessorOutlivesEveryBadRecordAndItsHeapDoesNotGrow() throws Exception {
    Path model = TestModels.tiny();
    List<Bad> bad = badRecords();
    List<Odd> odd = oddButValid();
    assertTrue(bad.size() >= 25, "at least 25 kinds of bad record, got " + bad.size());
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      try (Admin admin = Admin.create(broker.settings().adminProperties())) {
        Topics.ensureCreated(admin, 1);
      }
      Path kafkaConfig = dir.resolve("kafka.properties");
      Files.writeString(kafkaConfig, "session.timeout.ms=6000\nheartbeat.interval.ms=1000\ntransaction.timeout.ms=5000\n");
      List<String> args = List.of(
          "--bootstrap-servers", broker.bootstrapServers(), "--kafka-config", kafkaConfig.toString(),
          "--model", model.toString(), "--refine", "off", "--batch-size", "4", "--batch-max-delay-ms", "20",
          "--application-id", "bad-input-it");
      try (ProcessorJvm processor = ProcessorJvm.start(args, dir.resolve("process.log"), HEAP);
          KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
              broker.settings().producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
          Outcomes outcomes = new Outcomes(broker)) {
        processor.port(Duration.ofSeconds(60));
        processor.awaitStatus("/health/ready", 200, Duration.ofSeconds(90));
        long pid = processor.process().pid();

        // 100 good frames, then the heap baseline
        long good = 0;
        for (; good < 100; good++) {
          send(producer, "good".getBytes(StandardCharsets.UTF_8), bytes(frame("good", good, 64, 48, FrameEncoding.JPEG, GOOD_JPEG)));
        }
        long firstHundred = good;
        await(processor, outcomes, () -> outcomes.results("good", firstHundred - 1) > 0, "the first 100 results");
        long baseline = heapAfterGc(processor, pid);

        // each bad record, then two good frames that must be answered
        Map<String, Bad> badByPosition = new HashMap<>();
        for (Bad b : bad) {
          RecordMetadata sent = send(producer, b.key(), b.value());
          badByPosition.put(sent.partition() + "@" + sent.offset(), b);
          for (int i = 0; i < 2; i++, good++) {
            send(producer, "good".getBytes(StandardCharsets.UTF_8), bytes(frame("good", good, 64, 48, FrameEncoding.JPEG, GOOD_JPEG)));
          }
          long last = good - 1;
          String position = sent.partition() + "@" + sent.offset();
          await(processor, outcomes, () -> outcomes.results("good", last) > 0 && outcomes.lettersPerRecord.containsKey(position),
              "the good frames after '" + b.name() + "' and its dead letter");
        }
        for (Odd o : odd) {
          send(producer, o.key(), bytes(o.frame()));
          await(processor, outcomes, () -> outcomes.results(o.frame().getStreamId(), o.frame().getSequence()) > 0,
              "a result for '" + o.name() + "'");
        }
        // a last round of good frames, so anything repeated would have arrived before it
        for (int i = 0; i < 20; i++, good++) {
          send(producer, "good".getBytes(StandardCharsets.UTF_8), bytes(frame("good", good, 64, 48, FrameEncoding.JPEG, GOOD_JPEG)));
        }
        long lastGood = good - 1;
        await(processor, outcomes, () -> outcomes.results("good", lastGood) > 0, "the last good frames");
        long end = heapAfterGc(processor, pid);
        assertTrue(processor.process().isAlive(), "the processor never stopped");

        for (long s = 0; s < good; s++) {
          assertEquals(1, outcomes.results("good", s), "good frame " + s + " has exactly one result");
        }
        for (Odd o : odd) {
          assertEquals(1, outcomes.results(o.frame().getStreamId(), o.frame().getSequence()), o.name() + ": exactly one result");
        }
        assertEquals(bad.size(), outcomes.lettersPerRecord.size(), "dead letters only for the bad records: " + outcomes.lettersPerRecord.keySet());
        for (Map.Entry<String, Bad> e : badByPosition.entrySet()) {
          Bad b = e.getValue();
          List<DeadLetter> letters = outcomes.lettersPerRecord.getOrDefault(e.getKey(), List.of());
          assertEquals(1, letters.size(), b.name() + ": exactly one dead letter");
          DeadLetter letter = letters.get(0);
          assertEquals(b.stage(), letter.getStage(), b.name() + ": " + letter.getErrorMessage());
          assertFalse(letter.getErrorMessage().isBlank(), b.name() + ": a reason");
          assertEquals(Topics.FRAMES.name(), letter.getTopic());
          System.out.printf("%-42s %-11s %s%n", b.name(), letter.getStage(), abbreviate(letter.getErrorMessage(), 150));
        }
        System.out.printf("heap after GC: %.1f MiB after the first 100 frames, %.1f MiB at the end (%d good frames, %d bad records)%n",
            baseline / 1048576.0, end / 1048576.0, good, bad.size());
        assertTrue(end - baseline <= HEAP_GROWTH_LIMIT,
            "heap grew from " + baseline + " to " + end + " bytes, more than 64 MiB");
      }
    }
  }

  private static RecordMetadata send(KafkaProducer<byte[], byte[]> producer, byte[] key, byte[] value)
      throws InterruptedException, ExecutionException {
    return producer.send(new ProducerRecord<>(Topics.FRAMES.name(), key, value)).get();
  }

  private static void await(ProcessorJvm processor, Outcomes outcomes, BooleanSupplier done, String what) throws IOException {
    long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
    while (!done.getAsBoolean()) {
      if (!processor.process().isAlive()) {
        throw new AssertionError("the processor exited (" + processor.process().exitValue() + ") waiting for " + what
            + "; log:\n" + processor.logText());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + ANSWER_TIMEOUT.toSeconds() + " s; log:\n" + tail(processor.logText()));
      }
      outcomes.poll();
    }
  }

  /** Forces a full GC in the child with jcmd, then reads its used heap from /metrics. */
  private static long heapAfterGc(ProcessorJvm processor, long pid) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      throw new IllegalStateException(jcmd + " is missing: the test needs a JDK (not a JRE) to force a GC in the child");
    }
    Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true).start();
    String output = new String(gc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!gc.waitFor(30, TimeUnit.SECONDS) || gc.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + pid + " GC.run failed: " + output);
    }
    double used = processor.scrape().sum("jvm_memory_used_bytes", Map.of("area", "heap"));
    assertTrue(used > 0, "jvm_memory_used_bytes{area=heap} on /metrics");
    return (long) used;
  }

  private static String tail(String log) {
    return log.length() <= 6000 ? log : "..." + log.substring(log.length() - 6000);
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }
}
