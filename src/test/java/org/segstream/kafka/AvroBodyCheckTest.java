package org.segstream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.VideoFrame;

/**
 * Crafted single-object records whose lengths, counts and indexes the bytes cannot hold: each must
 * be refused by {@link AvroCodec#decode} with a {@link RecordFormatException} that names the field
 * and the sizes, before Avro's decoder allocates anything for them.
 */
class AvroBodyCheckTest {

  /** Builds an Avro binary body by hand: zig-zag varints, raw bytes. */
  static final class Body {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Body of(AvroCodec<?> codec) {
      Body b = new Body();
      b.out.write(0xC3);
      b.out.write(0x01);
      for (int i = 0; i < 8; i++) {
        b.out.write((int) (codec.fingerprint() >>> (8 * i)) & 0xff);
      }
      return b;
    }

    Body varint(long v) {
      long zz = (v << 1) ^ (v >> 63);
      while ((zz & ~0x7FL) != 0) {
        out.write((int) ((zz & 0x7f) | 0x80));
        zz >>>= 7;
      }
      out.write((int) zz);
      return this;
    }

    Body str(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      varint(b.length);
      out.writeBytes(b);
      return this;
    }

    Body raw(int... bytes) {
      for (int b : bytes) {
        out.write(b);
      }
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  /** A VideoFrame up to (not including) {@code encoding}: streamId, sequence, three times, width, height. */
  static Body frameUpToEncoding() {
    return Body.of(AvroSerdes.frameCodec()).str("cam").varint(1).varint(2).varint(3).varint(64).varint(48);
  }

  static Body resultUpToClassNames() {
    return Body.of(AvroSerdes.resultCodec()).str("cam").varint(1).varint(2).varint(3).varint(4).varint(64).varint(48);
  }

  static Body deadLetterStart() {
    return Body.of(AvroSerdes.deadLetterCodec());
  }

  record Case(String name, Function<byte[], ?> decode, byte[] bytes, List<String> messageParts) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Case frame(String name, Body body, String... parts) {
    return new Case(name, AvroSerdes.frameCodec()::decode, body.bytes(), List.of(parts));
  }

  private static Case result(String name, Body body, String... parts) {
    return new Case(name, AvroSerdes.resultCodec()::decode, body.bytes(), List.of(parts));
  }

  private static Case letter(String name, Body body, String... parts) {
    return new Case(name, AvroSerdes.deadLetterCodec()::decode, body.bytes(), List.of(parts));
  }

  static Stream<Arguments> corruptBodies() {
    return Stream.of(
            frame("2e9-byte streamId in 15 bytes",
                Body.of(AvroSerdes.frameCodec()).varint(2_000_000_000L),
                "VideoFrame.streamId", "2000000000 bytes declared, 0 bytes left", "(15 bytes"),
            frame("negative streamId length", Body.of(AvroSerdes.frameCodec()).varint(-5),
                "VideoFrame.streamId", "negative string length -5"),
            frame("sequence cut off inside its varint", Body.of(AvroSerdes.frameCodec()).str("cam").raw(0x80, 0x80),
                "VideoFrame.sequence", "ends inside a number"),
            frame("width varint of 6 bytes",
                Body.of(AvroSerdes.frameCodec()).str("cam").varint(1).varint(2).varint(3).raw(0x80, 0x80, 0x80, 0x80, 0x80, 0x01),
                "VideoFrame.width", "longer than 5 bytes"),
            frame("width beyond int range",
                Body.of(AvroSerdes.frameCodec()).str("cam").varint(1).varint(2).varint(3).raw(0xFE, 0xFF, 0xFF, 0xFF, 0x1F),
                "VideoFrame.width", "out of range"),
            frame("enum index 3 of 3 symbols", frameUpToEncoding().varint(3),
                "VideoFrame.encoding", "enum index 3 out of range", "3 symbols"),
            frame("negative enum index", frameUpToEncoding().varint(-1), "VideoFrame.encoding", "enum index -1"),
            frame("data longer than the record", frameUpToEncoding().varint(0).varint(1_000_000).raw(1, 2, 3),
                "VideoFrame.data", "1000000 bytes declared, 3 bytes left"),
            frame("sourceUri missing", frameUpToEncoding().varint(0).varint(1).raw(7),
                "VideoFrame.sourceUri", "ends inside a number"),
            frame("trailing garbage",
                frameUpToEncoding().varint(0).varint(1).raw(7).str("file:x").raw(0, 0).raw(0xDE, 0xAD),
                "2 trailing byte(s)"),
            result("classNames: a billion items in a few bytes", resultUpToClassNames().varint(1_000_000_000L).str("a"),
                "SegmentationResult.classNames", "block of 1000000000 items", "bytes left"),
            result("classNames: negative count with a block size past the end",
                resultUpToClassNames().varint(-2).varint(1_000_000).str("a").str("b"),
                "SegmentationResult.classNames", "block of 1000000 bytes declared"),
            result("classNames: count Long.MIN_VALUE", resultUpToClassNames().varint(Long.MIN_VALUE),
                "SegmentationResult.classNames", "out of range"),
            result("second item of classNames longer than the record",
                resultUpToClassNames().varint(2).str("a").varint(500),
                "SegmentationResult.classNames[1]", "500 bytes declared"),
            result("contours: an xs array of 2^40 ints",
                resultUpToClassNames().varint(1).str("a").varint(0) // classNames: one block of one, then the end
                    .varint(0) // an empty labelMapPng
                    .varint(0) // classFractions: none
                    .varint(1).varint(0).raw(0, 0, 0, 0, 0, 0, 0, 0) // one contour: classIndex, area
                    .varint(1L << 40),
                "SegmentationResult.contours[0].outer.xs", "block of 1099511627776 items"),
            letter("union index 2 of 2 branches", deadLetterStart().varint(2),
                "DeadLetter.key", "union index 2 out of range", "2 branches"),
            letter("negative union index", deadLetterStart().varint(-1), "DeadLetter.key", "union index -1"),
            letter("key bytes longer than the record", deadLetterStart().varint(1).varint(64).raw(1),
                "DeadLetter.key", "64 bytes declared, 1 bytes left"),
            letter("stage index out of range",
                deadLetterStart().varint(0).str("v").str("t").varint(0).varint(0).varint(99),
                "DeadLetter.stage", "enum index 99"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptBodies")
  void refusesWhatTheBytesCannotHold(Case c) {
    RecordFormatException e = assertThrows(RecordFormatException.class, () -> c.decode().apply(c.bytes()));
    assertTrue(e.getMessage().startsWith("corrupt "), e.getMessage());
    for (String part : c.messageParts()) {
      assertTrue(e.getMessage().contains(part), () -> "'" + part + "' missing from: " + e.getMessage());
    }
  }

  @Test
  void theFifteenByteRecordOfTheIssueIsAFormatErrorNotAnOutOfMemoryError() {
    byte[] bytes = Body.of(AvroSerdes.frameCodec()).varint(2_000_000_000L).bytes();
    assertEquals(15, bytes.length);
    assertThrows(RecordFormatException.class, () -> AvroSerdes.videoFrames().deserializer().deserialize("t", bytes));
  }

  @Test
  void aHandCraftedValidBodyDecodes() {
    byte[] bytes =
        frameUpToEncoding().varint(2).varint(3).raw(1, 2, 3).str("file:x").raw(1, 0).bytes(); // RAW_BGR, 3 bytes
    VideoFrame f = AvroSerdes.frameCodec().decode(bytes);
    assertEquals("cam", f.getStreamId());
    assertEquals(48, f.getHeight());
    assertEquals(3, f.getData().remaining());
    assertTrue(f.getDiscontinuity());
  }

  @Test
  void everyRecordTheCodecsWriteStillPasses() {
    assertRoundTrips(AvroSerdes.frameCodec(), AvroCodecTest.frame());
    assertRoundTrips(AvroSerdes.resultCodec(), AvroCodecTest.result());
    assertRoundTrips(AvroSerdes.deadLetterCodec(), AvroCodecTest.deadLetter());
    assertRoundTrips(AvroSerdes.deadLetterCodec(), DeadLetter.newBuilder(AvroCodecTest.deadLetter()).setKey(null).build());
  }

  private static <T extends SpecificRecord> void assertRoundTrips(AvroCodec<T> codec, T record) {
    assertEquals(record, codec.decode(codec.encode(record)));
  }

  @Test
  void olderVersionsAreWalkedWithTheirOwnSchema() {
    AvroCodec<VideoFrame> withHistory = AvroCodec.of(VideoFrame.class, List.of(AvroCodec.SCHEMA_DIR, "schemas-test"));
    long v0 =
        withHistory.knownVersions().keySet().stream().filter(fp -> fp != withHistory.fingerprint()).findFirst().orElseThrow();
    // v0 ends at sourceUri: a body that ends there is whole for v0 ...
    Body body = new Body();
    body.raw(0xC3, 0x01);
    for (int i = 0; i < 8; i++) {
      body.raw((int) (v0 >>> (8 * i)) & 0xff);
    }
    body.str("cam").varint(1).varint(2).varint(3).varint(64).varint(48).varint(0).varint(1).raw(9).str("file:x");
    assertEquals("cam", withHistory.decode(body.bytes()).getStreamId());
    // ... and a v0 body with a huge data length is refused by v0's walk
    Body huge = new Body();
    huge.raw(0xC3, 0x01);
    for (int i = 0; i < 8; i++) {
      huge.raw((int) (v0 >>> (8 * i)) & 0xff);
    }
    huge.str("cam").varint(1).varint(2).varint(3).varint(64).varint(48).varint(0).varint(1L << 31);
    RecordFormatException e = assertThrows(RecordFormatException.class, () -> withHistory.decode(huge.bytes()));
    assertTrue(e.getMessage().contains("VideoFrame.data: a bytes value of 2147483648 bytes declared"), e.getMessage());
  }
}
