package org.segstream.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.segstream.avro.Box;
import org.segstream.avro.Contour;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.DeadLetterStage;
import org.segstream.avro.FrameEncoding;
import org.segstream.avro.Instance;
import org.segstream.avro.ModelRef;
import org.segstream.avro.Polygon;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.Timings;
import org.segstream.avro.VideoFrame;

class AvroCodecTest {

  static VideoFrame frame() {
    return VideoFrame.newBuilder()
        .setStreamId("cam-1")
        .setSequence(42)
        .setCaptureTimeUs(1_400_000)
        .setCaptureWallTimeMs(1_700_000_000_123L)
        .setWidth(640)
        .setHeight(480)
        .setEncoding(FrameEncoding.PNG)
        .setData(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3}))
        .setSourceUri("rtsp://user:***@host/stream")
        .setDiscontinuity(true)
        .setEndOfStream(true)
        .build();
  }

  static SegmentationResult result() {
    Polygon outer = new Polygon(List.of(1, 5, 5, 1), List.of(2, 2, 7, 7));
    Polygon hole = new Polygon(List.of(2, 3, 3), List.of(3, 3, 4));
    return SegmentationResult.newBuilder()
        .setStreamId("cam-1")
        .setSequence(7)
        .setCaptureTimeUs(233_333)
        .setCaptureWallTimeMs(1_700_000_000_000L)
        .setResultWallTimeMs(1_700_000_000_050L)
        .setWidth(320)
        .setHeight(240)
        .setClassNames(List.of("pet", "background", "border"))
        .setLabelMapPng(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G'}))
        .setClassFractions(List.of(0.25f, 0.7f, 0.05f))
        .setContours(List.of(new Contour(0, 19.5, outer, List.of(hole)), new Contour(2, 1.0, hole, List.of())))
        .setModel(new ModelRef("pets-live", "3"))
        .setRefined(true)
        .setBatchSize(8)
        .setTimings(new Timings(1.5f, 2.25f, 30.0f, 4.75f, 0.5f))
        .setEndOfStream(true)
        .build();
  }

  static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setKey(ByteBuffer.wrap("cam-1".getBytes(StandardCharsets.UTF_8)))
        .setValue(ByteBuffer.wrap(new byte[] {9, 8, 7}))
        .setTopic("segstream.frames")
        .setPartition(3)
        .setOffset(1234)
        .setStage(DeadLetterStage.INFERENCE)
        .setErrorClass("java.lang.IllegalStateException")
        .setErrorMessage("boom")
        .setTimeMs(1_700_000_000_999L)
        .build();
  }

  @Test
  void videoFrameRoundTripsWithEveryField() {
    VideoFrame in = frame();
    byte[] bytes = AvroSerdes.frameCodec().encode(in);
    VideoFrame out = AvroSerdes.frameCodec().decode(bytes);
    assertEquals(in, out);
    assertTrue(out.getDiscontinuity());
    assertTrue(out.getEndOfStream());
    assertEquals("cam-1", out.getStreamId());
  }

  @Test
  void segmentationResultRoundTripsWithNestedRecords() {
    SegmentationResult in = result();
    Serde<SegmentationResult> serde = AvroSerdes.results();
    SegmentationResult out = serde.deserializer().deserialize("t", serde.serializer().serialize("t", in));
    assertEquals(in, out);
    assertEquals(List.of(2, 3, 3), out.getContours().get(0).getHoles().get(0).getXs());
    assertEquals(new ModelRef("pets-live", "3"), out.getModel());
    assertEquals(4.75f, out.getTimings().getRefineMs());
  }

  @Test
  void deadLetterRoundTripsIncludingNullKey() {
    DeadLetter in = deadLetter();
    Serde<DeadLetter> serde = AvroSerdes.deadLetters();
    assertEquals(in, serde.deserializer().deserialize("t", serde.serializer().serialize("t", in)));
    DeadLetter noKey = DeadLetter.newBuilder(in).setKey(null).build();
    assertNull(serde.deserializer().deserialize("t", serde.serializer().serialize("t", noKey)).getKey());
  }

  @Test
  void bytesStartWithTheSingleObjectHeaderAndTheSchemaFingerprint() {
    AvroCodec<VideoFrame> codec = AvroSerdes.frameCodec();
    byte[] bytes = codec.encode(frame());
    assertEquals((byte) 0xC3, bytes[0]);
    assertEquals((byte) 0x01, bytes[1]);
    long expected = SchemaNormalization.parsingFingerprint64(VideoFrame.getClassSchema());
    ByteBuffer fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertEquals(expected, fingerprint.getLong());
    assertEquals(expected, codec.fingerprint());
  }

  @Test
  void serdePassesNullThrough() {
    Serde<VideoFrame> serde = AvroSerdes.videoFrames();
    assertNull(serde.serializer().serialize("t", null));
    assertNull(serde.deserializer().deserialize("t", null));
  }

  @Test
  void registersThePublishedSchemasFromTheSchemaDirectory() {
    // the pom copies schemas/ into the class path; the current version must be found there
    assertTrue(AvroSerdes.frameCodec().knownVersions().values().stream().anyMatch(w -> w.endsWith("schemas/VideoFrame.avsc")),
        () -> "known: " + AvroSerdes.frameCodec().knownVersions());
    // DeadLetter.avsc and SegmentationResult.avsc are other records: not registered for frames
    assertEquals(1, AvroSerdes.frameCodec().knownVersions().size(), () -> "" + AvroSerdes.frameCodec().knownVersions());
  }

  @Test
  void readsBytesWrittenWithAnOlderSchemaVersion() throws IOException {
    Schema v0;
    try (InputStream in = getClass().getResourceAsStream("/schemas-test/VideoFrame-v0.avsc")) {
      v0 = new Schema.Parser().parse(in);
    }
    GenericRecord old = new GenericData.Record(v0);
    old.put("streamId", "old-cam");
    old.put("sequence", 5L);
    old.put("captureTimeUs", 200_000L);
    old.put("captureWallTimeMs", 1_600_000_000_000L);
    old.put("width", 64);
    old.put("height", 48);
    old.put("encoding", new GenericData.EnumSymbol(v0.getField("encoding").schema(), "JPEG"));
    old.put("data", ByteBuffer.wrap(new byte[] {1, 2}));
    old.put("sourceUri", "file:/old.mp4");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v0).encode(old, bytes);

    AvroCodec<VideoFrame> withHistory = AvroCodec.of(VideoFrame.class, List.of(AvroCodec.SCHEMA_DIR, "schemas-test"));
    assertEquals(2, withHistory.knownVersions().size());
    VideoFrame frame = withHistory.decode(bytes.toByteArray());
    assertEquals("old-cam", frame.getStreamId());
    assertEquals(5L, frame.getSequence());
    assertEquals(FrameEncoding.JPEG, frame.getEncoding());
    assertArrayEquals(new byte[] {1, 2}, toArray(frame.getData()));
    // the fields added later take their defaults
    assertFalse(frame.getDiscontinuity());
    assertFalse(frame.getEndOfStream());

    // a reader without that version names the fingerprint it got and the ones it knows
    RecordFormatException unknown =
        assertThrows(RecordFormatException.class, () -> AvroSerdes.frameCodec().decode(bytes.toByteArray()));
    String fingerprint = AvroCodec.hex(SchemaNormalization.parsingFingerprint64(v0));
    assertTrue(unknown.getMessage().contains("unknown schema fingerprint " + fingerprint), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("org.segstream.avro.VideoFrame"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains(AvroCodec.hex(AvroSerdes.frameCodec().fingerprint())), unknown.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "x", "plain text that is no avro", "{\"streamId\":\"cam\"}"})
  void bytesWithoutTheHeaderFailClearly(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    RecordFormatException e = assertThrows(RecordFormatException.class, () -> AvroSerdes.frameCodec().decode(bytes));
    assertTrue(e.getMessage().contains("expected the header C3 01 and an 8-byte schema fingerprint"), e.getMessage());
    assertTrue(e.getMessage().contains("(" + bytes.length + " bytes)"), e.getMessage());
  }

  @Test
  void aRecordOfAnotherTypeIsRejectedByItsFingerprint() {
    byte[] result = AvroSerdes.resultCodec().encode(result());
    RecordFormatException e = assertThrows(RecordFormatException.class, () -> AvroSerdes.frameCodec().decode(result));
    assertTrue(e.getMessage().startsWith("unknown schema fingerprint"), e.getMessage());
  }

  @Test
  void aTruncatedBodyFailsAsCorrupt() {
    byte[] bytes = AvroSerdes.frameCodec().encode(frame());
    byte[] truncated = Arrays.copyOf(bytes, 14);
    RecordFormatException e = assertThrows(RecordFormatException.class, () -> AvroSerdes.frameCodec().decode(truncated));
    assertTrue(e.getMessage().startsWith("corrupt VideoFrame body (14 bytes"), e.getMessage());
  }

  @Test
  void theGeneratedPackageIsTrusted() {
    String trusted = System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES");
    assertTrue(trusted != null && trusted.contains("org.segstream.avro"), "property: " + trusted);
  }

  /**
   * Schema evolution: a result written with every historic version under schemas/history reads with
   * today's reader (fields added since take their defaults), and today's result reads with the
   * previous reader.
   */
  @Test
  void everyHistoricResultVersionAndTodaysReadEachOther() throws IOException {
    List<SchemaResources.SchemaText> history = SchemaResources.find(getClass().getClassLoader(), "schemas/history").stream()
        .filter(t -> t.location().contains("SegmentationResult")).toList();
    assertFalse(history.isEmpty(), "schemas/history holds the earlier SegmentationResult versions");
    SegmentationResult today = SegmentationResult.newBuilder(result()).setContoursDropped(true)
        .setInstances(List.of(Instance.newBuilder().setId(7).setClassIndex(1).setArea(120)
            .setBox(new Box(2, 3, 10, 12)).setCentroidX(7.5f).setCentroidY(9f).setContourIndex(0).build()))
        .setProducerVersion("9.9.9").build();
    byte[] todaysBytes = AvroSerdes.resultCodec().encode(today);
    for (SchemaResources.SchemaText text : history) {
      Schema old = new Schema.Parser().parse(text.json());
      assertTrue(AvroSerdes.resultCodec().knownVersions().containsKey(SchemaNormalization.parsingFingerprint64(old)),
          () -> text.location() + " is registered");
      // today's record, as the old writer would have written it (the new fields left out)
      GenericRecord asOld = readAs(todaysBytes, old);
      ByteArrayOutputStream oldBytes = new ByteArrayOutputStream();
      new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(asOld, oldBytes);
      SegmentationResult read = AvroSerdes.resultCodec().decode(oldBytes.toByteArray());
      assertEquals(withNewerFieldsAtDefaults(today, old), read, text.location());
      assertNotEquals(today, read, () -> text.location() + " lacks a field today's result sets");
      // and today's bytes with the old reader: what it knows is all there
      GenericRecord back = readAs(todaysBytes, old);
      assertEquals("cam-1", back.get("streamId").toString());
      assertEquals(3, ((List<?>) back.get("classNames")).size());
      assertEquals(null, old.getField("producerVersion"), "no old reader has producerVersion");
    }
  }

  /** {@code today} with every field that {@code old} lacks set to today's schema default. */
  private static SegmentationResult withNewerFieldsAtDefaults(SegmentationResult today, Schema old) {
    SegmentationResult copy = SegmentationResult.newBuilder(today).build();
    for (Schema.Field field : SegmentationResult.getClassSchema().getFields()) {
      if (old.getField(field.name()) == null) {
        copy.put(field.pos(), SpecificData.get().deepCopy(field.schema(), SpecificData.get().getDefaultValue(field)));
      }
    }
    return copy;
  }

  /** Today's single-object bytes read with {@code reader} as the reader's schema. */
  private static GenericRecord readAs(byte[] todaysBytes, Schema reader) throws IOException {
    BinaryMessageDecoder<GenericRecord> decoder = new BinaryMessageDecoder<>(GenericData.get(), reader);
    decoder.addSchema(SegmentationResult.getClassSchema());
    return decoder.decode(todaysBytes);
  }

  private static byte[] toArray(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
