package org.segstream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.DeadLetterStage;
import org.segstream.avro.FrameEncoding;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.VideoFrame;
import org.segstream.cli.SegstreamCli;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;
import org.segstream.kafka.AvroSerdes;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.kafka.IncompatibleSchemaException;
import org.segstream.kafka.RecordValues;
import org.segstream.kafka.SchemaRegistryClient;
import org.segstream.kafka.SchemaRegistrySettings;
import org.segstream.kafka.Topics;
import org.segstream.kafka.ValueCodec;
import org.segstream.kafka.ValueFormat;
import org.segstream.testing.BadImages;
import org.segstream.testing.RegistryProcess;
import org.segstream.testing.TestModels;
import org.segstream.video.VideoWriter;

/**
 * The confluent value format against a real Schema Registry (Apicurio, one start for the class) and a real broker:
 * {@code ingest} → {@code process} in that format leaves our three schemas in the registry and topics that Apicurio's
 * own deserializer decodes; a topic holding both formats is read by {@code tail}; Confluent-framed bad records are
 * dead-lettered; every historic schema registers in order under BACKWARD; an incompatible subject stops a writer.
 */
class ConfluentFormatIT {
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
  private static final byte[] GOOD_JPEG = BadImages.jpeg(64, 48);
  private static RegistryProcess registry;
  private static Path registryLog;

  @TempDir Path dir;

  @BeforeAll
  static void startRegistry() throws Exception {
    registryLog = Files.createTempFile("apicurio-", ".log");
    registry = RegistryProcess.start(registryLog);
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    if (registry != null) {
      registry.close();
    }
    Files.deleteIfExists(registryLog);
  }

  private static SchemaRegistryClient client() {
    return new SchemaRegistryClient(SchemaRegistrySettings.of(registry.ccompatUrl()));
  }

  private record Run(int code, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SegstreamCli.execute(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void ingestAndProcessWriteWhatApicurioDecodesAndTailReadsBothFormats() throws Exception {
    Path frames = dir.resolve("clip.mkv");
    try (VideoWriter writer = VideoWriter.openLossless(frames, 64, 48, 25)) {
      for (int i = 0; i < 5; i++) {
        RgbImage image = RgbImage.blank(64, 48);
        java.util.Arrays.fill(image.rgb(), (byte) (40 * i));
        writer.write(image);
      }
    }
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      String servers = broker.bootstrapServers();
      String url = registry.ccompatUrl();
      // the same clip twice: once Confluent-framed, once single-object, into one frames topic
      Run confluent = cli("ingest", "--input", frames.toString(), "--stream-id", "conf", "--bootstrap-servers", servers,
          "--value-format", "confluent", "--schema-registry-url", url);
      assertEquals(0, confluent.code(), confluent.err());
      Run plain = cli("ingest", "--input", frames.toString(), "--stream-id", "plain", "--bootstrap-servers", servers);
      assertEquals(0, plain.code(), plain.err());

      Path kafkaConfig = dir.resolve("kafka.properties");
      Files.writeString(kafkaConfig, "session.timeout.ms=6000\nheartbeat.interval.ms=1000\ntransaction.timeout.ms=5000\n");
      List<String> args = List.of("--bootstrap-servers", servers, "--kafka-config", kafkaConfig.toString(),
          "--model", TestModels.tiny().toString(), "--refine", "off", "--batch-size", "4", "--application-id", "confluent-it",
          "--value-format", "confluent", "--schema-registry-url", url);
      Map<String, DeadLetter> letters = new HashMap<>();
      Map<String, Integer> results = new TreeMap<>();
      Map<String, String> positions = new TreeMap<>();
      try (ProcessorJvm processor = ProcessorJvm.start(args, dir.resolve("process.log"));
          Reader reader = new Reader(broker, url)) {
        processor.port(ANSWER_TIMEOUT);
        await(processor, reader, () -> reader.results.containsKey("conf#5") && reader.results.containsKey("plain#5"),
            "the results of both streams (end of stream included)");

        // Confluent-framed bad records between good frames: each one dead letter, the good frames still answered
        SchemaRegistryClient client = client();
        int frameId = client.lookup("segstream.frames-value", AvroSerdes.frameCodec().schema()).orElseThrow();
        int resultId = client.lookup("segstream.masks-value", AvroSerdes.resultCodec().schema()).orElseThrow();
        byte[] body = AvroSerdes.frameCodec().encodeBody(BadInputIT.frame("bad", 0, 64, 48, FrameEncoding.JPEG, GOOD_JPEG));
        Map<String, byte[]> bad = new TreeMap<>();
        bad.put("unknown schema id", framed(987_654, body));
        bad.put("id of another subject (a SegmentationResult schema)", framed(resultId, body));
        bad.put("truncated framing", new byte[] {0, 0, 1});
        bad.put("a 2e9-byte string in a Confluent body", framed(frameId, BadInputIT.toBytes(BadInputIT.varint(2_000_000_000L))));
        try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(broker.settings().producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
          long seq = 0;
          for (Map.Entry<String, byte[]> e : bad.entrySet()) {
            RecordMetadata sent = producer.send(new ProducerRecord<>(Topics.FRAMES.name(), "bad".getBytes(StandardCharsets.UTF_8), e.getValue())).get();
            positions.put(sent.partition() + "@" + sent.offset(), e.getKey());
            VideoFrame good = BadInputIT.frame("after-bad", seq++, 64, 48, FrameEncoding.JPEG, GOOD_JPEG);
            producer.send(new ProducerRecord<>(Topics.FRAMES.name(), "after-bad".getBytes(StandardCharsets.UTF_8),
                framed(frameId, AvroSerdes.frameCodec().encodeBody(good)))).get();
          }
          long last = seq - 1;
          await(processor, reader, () -> reader.results.containsKey("after-bad#" + last) && reader.letters.size() >= bad.size(),
              "the good frames after the bad ones, and their dead letters");
        }
        assertTrue(processor.process().isAlive(), "the processor outlives Confluent-framed bad records");
        letters.putAll(reader.letters);
        results.putAll(reader.results);
        for (var e : reader.apicurioDecoded.entrySet()) {
          assertEquals(reader.results.get(e.getKey()), e.getValue(), e.getKey() + ": Apicurio decodes every result");
        }
        assertTrue(reader.apicurioDecoded.size() >= 12, "Apicurio's deserializer decoded the results: " + reader.apicurioDecoded);
      }
      assertEquals(positions.keySet(), letters.keySet(), "one dead letter per bad record, none for good frames");
      for (var e : positions.entrySet()) {
        DeadLetter letter = letters.get(e.getKey());
        assertEquals(DeadLetterStage.DESERIALIZE, letter.getStage(), e.getValue() + ": " + letter.getErrorMessage());
        System.out.printf("%-52s %s%n", e.getValue(), letter.getErrorMessage());
      }
      for (String stream : List.of("conf", "plain")) {
        for (int s = 0; s <= 5; s++) {
          assertEquals(1, results.getOrDefault(stream + "#" + s, 0), stream + "#" + s + " has one result");
        }
      }

      // the registry holds our three schemas under TopicNameStrategy subjects, each BACKWARD
      SchemaRegistryClient client = client();
      for (String subject : List.of("segstream.frames-value", "segstream.masks-value", "segstream.frames.dlq-value")) {
        assertTrue(client.exists(subject), subject + " registered");
        assertEquals("BACKWARD", client.compatibility(subject).orElse("none"), subject);
      }
      // Apicurio decodes the Confluent frames ingest wrote too
      assertEquals(5 + 1, apicurioFrames(broker, "conf"), "every Confluent frame of 'conf' decodes with Apicurio's deserializer");

      // a masks topic with both formats: a single-object result appended, read by tail in either mode
      try (KafkaProducer<String, SegmentationResult> producer = new KafkaProducer<>(broker.settings().producerProperties(),
          Topics.MASKS.keySerde().serializer(), Topics.MASKS.valueSerde().serializer())) {
        SegmentationResult legacy = SegmentationResult.newBuilder(firstResult(broker, url)).setStreamId("legacy").build();
        producer.send(new ProducerRecord<>(Topics.MASKS.name(), "legacy", legacy)).get();
      }
      int expected = results.values().stream().mapToInt(Integer::intValue).sum() + 1;
      Run tail = cli("tail", "--from-beginning", "--max-results", Integer.toString(expected), "--timeout-ms", "30000",
          "--bootstrap-servers", servers, "--value-format", "confluent", "--schema-registry-url", url);
      assertEquals(0, tail.code(), tail.err());
      List<String> lines = tail.out().lines().toList();
      assertEquals(expected, lines.size(), tail.out() + tail.err());
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("legacy seq=0 ")), "the single-object result: " + lines);
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("conf seq=4 ")), "the Confluent results: " + lines);
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("plain seq=5 end-of-stream")), lines.toString());
      // a single-object tail names what it cannot read, and reads the rest
      Run oldTail = cli("tail", "--from-beginning", "--timeout-ms", "3000", "--bootstrap-servers", servers);
      assertEquals(0, oldTail.code(), oldTail.err());
      assertEquals(1, oldTail.out().lines().count(), oldTail.out());
      assertTrue(oldTail.out().startsWith("legacy seq=0 "), oldTail.out());
      assertTrue(oldTail.err().contains("--value-format confluent --schema-registry-url"), oldTail.err());

      // eval replays frames through the same, mixed topics in the confluent format and finds every result
      Path evalFrames = dir.resolve("eval-frames");
      Path groundTruth = dir.resolve("eval-gt");
      Files.createDirectories(evalFrames);
      Files.createDirectories(groundTruth);
      for (int i = 0; i < 3; i++) {
        Files.write(evalFrames.resolve(String.format("%05d.jpg", i)), GOOD_JPEG);
        Files.write(groundTruth.resolve(String.format("%05d.png", i)), ImageCodec.encodePngGray(LabelMap.blank(64, 48)));
      }
      Path report = dir.resolve("eval");
      Run eval = cli("eval", "--input", evalFrames.toString(), "--ground-truth", groundTruth.toString(), "--gt-format", "index",
          "--refine", "off", "--rate", "max", "--model", TestModels.tiny().toString(), "--out", report.toString(),
          "--contact-frames", "0", "--bootstrap-servers", servers, "--value-format", "confluent", "--schema-registry-url", url);
      assertEquals(0, eval.code(), eval.err());
      JsonNode off = new ObjectMapper().readTree(report.resolve("report.json").toFile()).get("runs").get("off");
      assertEquals(3, off.get("resultsOut").asInt(), off.toString());
      assertEquals(3, off.get("matched").asInt(), off.toString());
      assertEquals(0, off.get("deadLetters").asInt(), off.toString());
    }
  }

  @Test
  void everyHistoricSchemaRegistersInOrderUnderBackward() throws IOException {
    SchemaRegistryClient client = client();
    Map<String, List<Schema>> versions = new TreeMap<>();
    List<Path> history;
    try (Stream<Path> files = Files.list(Path.of("schemas", "history"))) {
      history = files.filter(p -> p.toString().endsWith(".avsc")).sorted(Comparator.comparing(ConfluentFormatIT::versionOf)).toList();
    }
    assertTrue(history.size() >= 2, "history schemas found: " + history);
    for (Path file : history) {
      Schema s = new Schema.Parser().parse(file.toFile());
      versions.computeIfAbsent(s.getFullName(), k -> new ArrayList<>()).add(s);
    }
    for (Schema current : List.of(AvroSerdes.frameCodec().schema(), AvroSerdes.resultCodec().schema(), AvroSerdes.deadLetterCodec().schema())) {
      versions.computeIfAbsent(current.getFullName(), k -> new ArrayList<>()).add(current);
    }
    for (Map.Entry<String, List<Schema>> e : versions.entrySet()) {
      String subject = "history-" + e.getKey() + "-value";
      Set<Integer> ids = new TreeSet<>();
      for (Schema version : e.getValue()) {
        if (!ids.isEmpty()) {
          assertTrue(client.isCompatible(subject, version), subject + ": version " + (ids.size() + 1) + " is BACKWARD compatible");
        }
        ids.add(client.register(subject, version));
        if (ids.size() == 1) {
          client.setCompatibility(subject, "BACKWARD");
        }
      }
      assertEquals(e.getValue().size(), ids.size(), subject + ": each version is a new schema");
      System.out.printf("%s: %d versions registered in order under BACKWARD%n", subject, ids.size());
    }
  }

  /** As run's sources do at start-up: Apicurio answers all but the first creator of a subject (and of its level) 409, which is fine. */
  @Test
  void writersRegisteringANewSubjectAtOnceAllGetItsOneId() throws Exception {
    int writers = 6;
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(writers);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
    try {
      List<java.util.concurrent.Future<Integer>> ids = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        SchemaRegistryClient own = client();
        ids.add(pool.submit(() -> {
          start.await(30, java.util.concurrent.TimeUnit.SECONDS);
          int id = own.register("concurrent-value", AvroSerdes.frameCodec().schema());
          // each believed it created the subject, so each sets its level at once: the later ones get 409 too
          start.await(30, java.util.concurrent.TimeUnit.SECONDS);
          own.setCompatibility("concurrent-value", "BACKWARD");
          return id;
        }));
      }
      Set<Integer> distinct = new TreeSet<>();
      for (java.util.concurrent.Future<Integer> id : ids) {
        distinct.add(id.get(60, java.util.concurrent.TimeUnit.SECONDS));
      }
      assertEquals(Set.of(client().lookup("concurrent-value", AvroSerdes.frameCodec().schema()).orElseThrow()), distinct);
      assertEquals(Optional.of("BACKWARD"), client().compatibility("concurrent-value"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anIncompatibleSubjectOrAMissingSchemaStopsAWriterAtStartUp() {
    SchemaRegistryClient client = client();
    Schema other = new Schema.Parser().parse(
        "{\"type\":\"record\",\"name\":\"VideoFrame\",\"namespace\":\"org.segstream.avro\",\"fields\":[{\"name\":\"streamId\",\"type\":\"long\"}]}");
    client.register("it.taken-value", other);
    client.setCompatibility("it.taken-value", "BACKWARD");
    ValueCodec<VideoFrame> frames = RecordValues.of(ValueFormat.CONFLUENT, client).frames();
    IncompatibleSchemaException e = assertThrows(IncompatibleSchemaException.class, () -> frames.prepareWriter("it.taken"));
    assertTrue(e.getMessage().contains("subject it.taken-value") && e.getMessage().contains("not compatible"), e.getMessage());

    SchemaRegistrySettings noAuto = new SchemaRegistrySettings(URI.create(registry.ccompatUrl()), null, Map.of(), false,
        SchemaRegistrySettings.DEFAULT_RETRY_TIMEOUT);
    ValueCodec<VideoFrame> strict = RecordValues.of(ValueFormat.CONFLUENT, new SchemaRegistryClient(noAuto)).frames();
    IncompatibleSchemaException missing = assertThrows(IncompatibleSchemaException.class, () -> strict.prepareWriter("it.unregistered"));
    assertTrue(missing.getMessage().contains("it.unregistered-value") && missing.getMessage().contains("auto-registration is off"),
        missing.getMessage());
    assertTrue(!client.exists("it.unregistered-value"), "nothing registered with auto-registration off");
    // once registered, the strict writer finds it
    int id = client.register("it.unregistered-value", AvroSerdes.frameCodec().schema());
    assertEquals(id, strict.prepareWriter("it.unregistered").orElseThrow());
  }

  private static byte[] framed(int id, byte[] body) {
    return BadInputIT.confluentFramed(id, body);
  }

  private static int versionOf(Path file) {
    Matcher m = Pattern.compile("-v(\\d+)\\.avsc$").matcher(file.getFileName().toString());
    return m.find() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
  }

  private static AvroKafkaDeserializer<GenericRecord> apicurio() {
    AvroKafkaDeserializer<GenericRecord> deserializer = new AvroKafkaDeserializer<>();
    // Confluent framing: a 4-byte id, which Apicurio's ccompat API hands out as content ids
    deserializer.configure(Map.of("apicurio.registry.url", registry.apiUrl(), "apicurio.registry.as-confluent", "true",
        "apicurio.registry.use-id", "contentId"), false);
    return deserializer;
  }

  /** The frames of a stream in the frames topic that Apicurio's deserializer decodes, checked against ours. */
  private static int apicurioFrames(EmbeddedBroker broker, String stream) {
    int decoded = 0;
    RecordValues ours = RecordValues.of(ValueFormat.CONFLUENT, client());
    try (AvroKafkaDeserializer<GenericRecord> theirs = apicurio();
        KafkaConsumer<byte[], byte[]> consumer = beginning(broker, Topics.FRAMES.name(), Topics.FRAMES.partitions())) {
      for (ConsumerRecord<byte[], byte[]> r : drain(consumer)) {
        if (r.value().length > 0 && r.value()[0] == 0 && stream.equals(new String(r.key(), StandardCharsets.UTF_8))) {
          GenericRecord g = theirs.deserialize(r.topic(), r.value());
          VideoFrame f = ours.frames().decode(r.value());
          assertEquals(f.getStreamId(), g.get("streamId").toString());
          assertEquals(f.getSequence(), (long) g.get("sequence"));
          assertEquals(f.getData(), g.get("data"));
          decoded++;
        }
      }
    }
    return decoded;
  }

  private static SegmentationResult firstResult(EmbeddedBroker broker, String url) {
    RecordValues ours = RecordValues.of(ValueFormat.CONFLUENT, client());
    try (KafkaConsumer<byte[], byte[]> consumer = beginning(broker, Topics.MASKS.name(), Topics.MASKS.partitions())) {
      for (ConsumerRecord<byte[], byte[]> r : drain(consumer)) {
        SegmentationResult result = ours.results().decode(r.value());
        if (!result.getEndOfStream()) {
          return result;
        }
      }
    }
    throw new AssertionError("no result in " + Topics.MASKS.name() + " (registry " + url + ")");
  }

  private static KafkaConsumer<byte[], byte[]> beginning(EmbeddedBroker broker, String topic, int partitions) {
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(broker.settings().consumerProperties("confluent-it-check", true),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> all = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      all.add(new TopicPartition(topic, p));
    }
    consumer.assign(all);
    consumer.seekToBeginning(all);
    return consumer;
  }

  /** Every record up to the partitions' current ends. */
  private static List<ConsumerRecord<byte[], byte[]>> drain(KafkaConsumer<byte[], byte[]> consumer) {
    Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("could not read to the end of " + consumer.assignment() + " within 30 s");
      }
      consumer.poll(Duration.ofMillis(100)).forEach(out::add);
    }
    return out;
  }

  /** Results and dead letters as process writes them, decoded by ours (and results also by Apicurio's deserializer). */
  private static final class Reader implements AutoCloseable {
    final KafkaConsumer<byte[], byte[]> consumer;
    final RecordValues ours;
    final AvroKafkaDeserializer<GenericRecord> theirs = apicurio();
    final Map<String, Integer> results = new TreeMap<>();
    final Map<String, Integer> apicurioDecoded = new TreeMap<>();
    final Map<String, DeadLetter> letters = new HashMap<>();

    Reader(EmbeddedBroker broker, String url) {
      ours = RecordValues.of(ValueFormat.CONFLUENT, new SchemaRegistryClient(SchemaRegistrySettings.of(url)));
      consumer = new KafkaConsumer<>(broker.settings().consumerProperties("confluent-it", true),
          new ByteArrayDeserializer(), new ByteArrayDeserializer());
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
        assertEquals(ValueFormat.CONFLUENT, ValueFormat.detect(r.value()), "process writes the confluent format");
        if (r.topic().equals(Topics.MASKS.name())) {
          SegmentationResult result = ours.results().decode(r.value());
          String key = result.getStreamId() + "#" + result.getSequence();
          results.merge(key, 1, Integer::sum);
          GenericRecord g = theirs.deserialize(r.topic(), r.value());
          assertEquals(result.getStreamId(), g.get("streamId").toString());
          assertEquals(result.getSequence(), (long) g.get("sequence"));
          assertEquals(result.getLabelMapPng(), g.get("labelMapPng"));
          apicurioDecoded.merge(key, 1, Integer::sum);
        } else {
          DeadLetter letter = ours.deadLetters().decode(r.value());
          assertEquals(letter.getErrorMessage(), theirs.deserialize(r.topic(), r.value()).get("errorMessage").toString());
          letters.put(letter.getPartition() + "@" + letter.getOffset(), letter);
        }
      }
    }

    @Override
    public void close() {
      consumer.close();
      theirs.close();
    }
  }

  private static void await(ProcessorJvm processor, Reader reader, BooleanSupplier done, String what) throws IOException {
    long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
    while (!done.getAsBoolean()) {
      if (!processor.process().isAlive()) {
        throw new AssertionError("the processor exited (" + processor.process().exitValue() + ") waiting for " + what
            + "; log:\n" + processor.logText());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + ANSWER_TIMEOUT.toSeconds() + " s: " + reader.results.keySet()
            + "; log:\n" + processor.logText());
      }
      reader.poll();
    }
  }
}
