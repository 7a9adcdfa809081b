package org.segstream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.VideoFrame;
import org.segstream.config.InvalidSettingException;

/** Framing and format detection of the two value formats, and the codec's behaviour without a registry. */
class ValueCodecTest {
  private static final AvroCodec<VideoFrame> FRAMES = AvroSerdes.frameCodec();

  @ParameterizedTest
  @CsvSource({
    "00 00 00 00 07 02, CONFLUENT",
    "00, CONFLUENT",
    "C3 01 00 00 00 00 00 00 00 00, SINGLE_OBJECT",
    "C3 02 00, ",
    "C3, ",
    "7B 22, ",
  })
  void detectsTheFormatByItsFirstBytes(String hex, ValueFormat expected) {
    assertEquals(expected, ValueFormat.detect(java.util.HexFormat.ofDelimiter(" ").parseHex(hex)));
  }

  @Test
  void nothingIsNoFormat() {
    assertNull(ValueFormat.detect(new byte[0]));
    assertNull(ValueFormat.detect(null));
  }

  @Test
  void aBodyDecodesAgainstItsWriterSchemaWithTheBodyCheckFirst() {
    VideoFrame frame = AvroCodecTest.frame();
    byte[] body = FRAMES.encodeBody(frame);
    byte[] framed = ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(7).put(body).array();
    assertEquals(frame, FRAMES.decodeBody(FRAMES.schema(), framed, 5, "schema id 7"));
    // the single-object encoding is the same body behind its own 10-byte header
    byte[] single = FRAMES.encode(frame);
    assertEquals(body.length + 10, single.length);

    // a hostile length is refused by the walk, before Avro allocates for it
    byte[] hostile = {0, 0, 0, 0, 7, (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F};
    RecordFormatException e = assertThrows(RecordFormatException.class,
        () -> FRAMES.decodeBody(FRAMES.schema(), hostile, 5, "schema id 7"));
    assertTrue(e.getMessage().contains("VideoFrame.streamId") && e.getMessage().contains("schema id 7"), e.getMessage());
    // trailing bytes after the record
    byte[] trailing = java.util.Arrays.copyOf(framed, framed.length + 2);
    assertThrows(RecordFormatException.class, () -> FRAMES.decodeBody(FRAMES.schema(), trailing, 5, "schema id 7"));
  }

  @Test
  void anOlderWriterSchemaFromTheRegistryResolvesToTodaysRecord() throws IOException {
    Schema v1;
    try (InputStream in = getClass().getResourceAsStream("/schemas/history/SegmentationResult-v1.avsc")) {
      v1 = new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    AvroCodec<SegmentationResult> results = AvroSerdes.resultCodec();
    // a v1 record: today's result written with the v1 schema (fields added later are left out)
    GenericRecord old = new GenericData.Record(v1);
    GenericRecord today = (GenericRecord) GenericData.get().deepCopy(results.schema(), AvroCodecTest.result());
    for (Schema.Field f : v1.getFields()) {
      old.put(f.name(), today.get(f.name()));
    }
    byte[] body = genericBody(v1, old);
    SegmentationResult read = results.decodeBody(v1, body, 0, "schema id 3");
    assertEquals(AvroCodecTest.result().getStreamId(), read.getStreamId());
    assertTrue(read.getInstances().isEmpty(), "a field added later takes its default");
    assertNull(read.getProducerVersion());
  }

  @Test
  void aSchemaOfAnotherRecordTypeIsABadRecord() {
    byte[] body = FRAMES.encodeBody(AvroCodecTest.frame());
    RecordFormatException e = assertThrows(RecordFormatException.class,
        () -> FRAMES.decodeBody(AvroSerdes.resultCodec().schema(), body, 0, "schema id 9"));
    assertTrue(e.getMessage().contains("org.segstream.avro.SegmentationResult, not org.segstream.avro.VideoFrame"), e.getMessage());
  }

  @Test
  void withoutARegistryConfluentValuesAreBadRecordsThatSayWhatToDo() {
    ValueCodec<VideoFrame> frames = RecordValues.SINGLE_OBJECT.frames();
    RecordFormatException truncated = assertThrows(RecordFormatException.class, () -> frames.decode(new byte[] {0, 0, 1}));
    assertTrue(truncated.getMessage().startsWith("truncated Confluent-framed VideoFrame"), truncated.getMessage());
    byte[] framed = ByteBuffer.allocate(5 + 2).put((byte) 0).putInt(12).put(new byte[] {2, 'a'}).array();
    RecordFormatException noRegistry = assertThrows(RecordFormatException.class, () -> frames.decode(framed));
    assertTrue(noRegistry.getMessage().contains("schema id 12")
        && noRegistry.getMessage().contains("--value-format confluent --schema-registry-url"), noRegistry.getMessage());
    // single-object values still round-trip
    VideoFrame frame = AvroCodecTest.frame();
    assertEquals(frame, frames.decode(frames.encode("any", frame)));
  }

  @Test
  void aRegistryThatDoesNotAnswerIsNoBadRecord() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    SchemaRegistrySettings settings = new SchemaRegistrySettings(
        URI.create("http://127.0.0.1:" + closedPort), null, Map.of(), true, Duration.ofMillis(600));
    ValueCodec<VideoFrame> frames = RecordValues.of(ValueFormat.CONFLUENT, new SchemaRegistryClient(settings)).frames();
    byte[] framed = ByteBuffer.allocate(5 + 2).put((byte) 0).putInt(12).put(new byte[] {2, 'a'}).array();
    long start = System.nanoTime();
    SchemaRegistryClient.Unavailable e = assertThrows(SchemaRegistryClient.Unavailable.class, () -> frames.decode(framed));
    assertTrue(System.nanoTime() - start >= Duration.ofMillis(600).toNanos(), "retried for the whole timeout");
    assertTrue(e.getMessage().contains("did not answer") && e.getMessage().contains("nothing is lost"), e.getMessage());
    // writers fail the same way at start-up
    assertThrows(SchemaRegistryClient.Unavailable.class, () -> frames.prepareWriter("segstream.frames"));
  }

  @Test
  void settingsComeFromClientPropertiesAndPrintMasked() {
    KafkaSettings kafka = new KafkaSettings("broker:9092", Map.of(
        "basic.auth.user.info", "svc:s3cret", "schema.registry.ssl.truststore.password", "trustpw",
        "schema.registry.ssl.truststore.location", "/etc/ts.p12"));
    KafkaSettings confluent = kafka.withValueFormat(ValueFormat.CONFLUENT, "https://reg.example:8081/", false);
    SchemaRegistrySettings registry = SchemaRegistrySettings.from(confluent.clientProperties());
    assertEquals(URI.create("https://reg.example:8081"), registry.url());
    assertEquals("svc:s3cret", registry.userInfo());
    assertEquals(false, registry.autoRegister());
    assertEquals("/etc/ts.p12", registry.tls().get("truststore.location"));
    String shown = registry.describe() + " " + confluent.describe();
    assertTrue(!shown.contains("s3cret") && !shown.contains("trustpw"), shown);
    assertEquals(ValueFormat.CONFLUENT, SchemaRegistrySettings.formatOf(confluent.clientProperties()));
    assertEquals(ValueFormat.SINGLE_OBJECT, SchemaRegistrySettings.formatOf(kafka.clientProperties()));
    assertEquals(ValueFormat.SINGLE_OBJECT, kafka.recordValues().format());

    InvalidSettingException noUrl = assertThrows(InvalidSettingException.class,
        () -> SchemaRegistrySettings.from(Map.of(ValueFormat.PROPERTY, "confluent")));
    assertEquals("schema-registry-url", noUrl.setting());
    assertThrows(InvalidSettingException.class, () -> kafka.withValueFormat(ValueFormat.CONFLUENT, "ftp://x", true));
    assertThrows(InvalidSettingException.class, () -> ValueFormat.parse("avro"));
  }

  private static byte[] genericBody(Schema schema, GenericRecord record) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
