package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.avro.Box;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.DeadLetterStage;
import org.segstream.avro.FrameEncoding;
import org.segstream.avro.Instance;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.VideoFrame;
import org.segstream.config.InvalidSettingException;
import org.segstream.image.ImageCodec;
import org.segstream.kafka.AvroSerdes;
import org.segstream.results.ResultLines;
import org.segstream.results.SavedFiles;

/** What {@code segstream tail} prints and saves ({@link ResultLines}, {@link SavedFiles}). */
class TailCommandTest {
  @TempDir Path dir;

  @Test
  void describesAResultOnOneLine() {
    assertEquals("cam-1 seq=12 latency=143ms 4x2 pet=25.0% background=62.5% border=12.5% contours=1",
        ResultLines.describe(TailResults.result("cam-1", 12, 1_000_000, 143, TailResults.labels(1))));
  }

  @Test
  void namesEachInstanceWithItsClassIdAreaAndBoxAndCountsThoseBeyondTheCap() {
    SegmentationResult base = TailResults.result("cam-1", 12, 1_000_000, 143, TailResults.labels(1));
    Instance dog = new Instance(3L, 0, 1234, new Box(10, 20, 30, 40), 25f, 40f, 0);
    SegmentationResult one = SegmentationResult.newBuilder(base).setInstances(List.of(dog)).build();
    assertEquals("cam-1 seq=12 latency=143ms 4x2 pet=25.0% background=62.5% border=12.5% contours=1"
        + " pet#3 area=1234 box=10,20,30x40", ResultLines.describe(one));
    List<Instance> many = new ArrayList<>();
    for (int i = 0; i < ResultLines.MAX_SHOWN_INSTANCES + 5; i++) {
      many.add(new Instance((long) i, 2, 1, new Box(i, 0, 1, 1), (float) i, 0f, -1));
    }
    String line = ResultLines.describe(SegmentationResult.newBuilder(base).setInstances(many).build());
    assertTrue(line.endsWith(" border#19 area=1 box=19,0,1x1 +5 more"), line);
  }

  @Test
  void describesEndOfStream() {
    assertEquals("cam-1 seq=149 end-of-stream", ResultLines.describe(TailResults.endOfStream("cam-1", 149)));
  }

  @ParameterizedTest
  @CsvSource({"cat, 7, cat-000007.png", "cam/1:a, 123456, cam_1_a-123456.png", "x, 1234567, x-1234567.png"})
  void namesPngFiles(String stream, long sequence, String expected) {
    assertEquals(expected, SavedFiles.pngName(stream, sequence));
  }

  @Test
  void savesTheLabelMapAsPublished() throws Exception {
    var map = TailResults.labels(2);
    Path file = SavedFiles.saveLabelMap(dir, TailResults.result("cat", 3, 0, 10, map), false);
    assertEquals(dir.resolve("cat-000003.png"), file);
    assertArrayEquals(map.labels(), ImageCodec.decodePngGray(Files.readAllBytes(file)).labels());
  }

  @Test
  void anExistingFileIsKeptUnlessOverwriteIsGiven() throws Exception {
    var map = TailResults.labels(2);
    Path file = SavedFiles.saveLabelMap(dir, TailResults.result("cat", 3, 0, 10, map), false);
    byte[] first = Files.readAllBytes(file);
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> SavedFiles.saveLabelMap(dir, TailResults.result("cat", 3, 0, 10, TailResults.labels(0)), false));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertEquals("overwrite", e.setting(), "the setting that allows it");
    assertArrayEquals(first, Files.readAllBytes(file), "the existing file is untouched");
    SavedFiles.saveLabelMap(dir, TailResults.result("cat", 3, 0, 10, TailResults.labels(0)), true);
    assertArrayEquals(TailResults.labels(0).labels(), ImageCodec.decodePngGray(Files.readAllBytes(file)).labels());
  }

  static VideoFrame frame(String stream, long sequence) {
    return VideoFrame.newBuilder()
        .setStreamId(stream)
        .setSequence(sequence)
        .setCaptureTimeUs(0)
        .setCaptureWallTimeMs(0)
        .setWidth(2)
        .setHeight(2)
        .setEncoding(FrameEncoding.JPEG)
        .setData(ByteBuffer.wrap(new byte[] {1, 2, 3}))
        .setSourceUri("test")
        .build();
  }

  static DeadLetter letter(byte[] key, byte[] value, String topic, DeadLetterStage stage, String message) {
    return DeadLetter.newBuilder()
        .setKey(key == null ? null : ByteBuffer.wrap(key))
        .setValue(ByteBuffer.wrap(value))
        .setTopic(topic)
        .setPartition(2)
        .setOffset(1234)
        .setStage(stage)
        .setErrorClass("org.segstream.image.ImageDecodeException")
        .setErrorMessage(message)
        .setTimeMs(0)
        .build();
  }

  @Test
  void describesADeadLetterWithTheFramesSequence() {
    byte[] value = AvroSerdes.frameCodec().encode(frame("cam-1", 17));
    DeadLetter letter = letter("cam-1".getBytes(StandardCharsets.UTF_8), value, "segstream.frames", DeadLetterStage.DECODE,
        "not a JPEG");
    assertEquals("DECODE cam-1 seq=17 segstream.frames-2@1234 reason=not a JPEG", ResultLines.describe(letter, null, value));
    assertEquals("segstream.frames-2-1234.bin", SavedFiles.payloadName(letter));
  }

  @Test
  void aDeadLetterWhoseValueIsNoFrameHasNoSequenceAndItsReasonStaysOnOneLine() {
    byte[] value = {(byte) 0xC3, 0x01, 0, 0};
    DeadLetter letter = letter(null, value, "segstream.frames", DeadLetterStage.DESERIALIZE, "bad\nheader\u001b[31m");
    assertEquals("DESERIALIZE cam-9 seq=- segstream.frames-2@1234 reason=bad header [31m",
        ResultLines.describe(letter, "cam-9".getBytes(StandardCharsets.UTF_8), value), "the record's key when the letter has none");
    assertEquals("DESERIALIZE - seq=- segstream.frames-2@1234 reason=" + "x".repeat(ResultLines.MAX_REASON_CHARS) + "...",
        ResultLines.describe(letter(null, value, "segstream.frames", DeadLetterStage.DESERIALIZE, "x".repeat(5000)), null, value));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "63616d2d31                 | cam-1",
        "6b616d65726120c3a4         | 0x6b616d65726120c3a4",
        "c3a4c3b6                   | äö",
        "ff00ff                     | 0xff00ff",
        "63616d0a31                 | 0x63616d0a31",
        "e280ae6d6163               | 0xe280ae6d6163",
      })
  void showsAKeyAsTextOnlyWhenItIsPrintableUtf8(String keyHex, String shown) {
    assertEquals(shown, ResultLines.streamOf(HexFormat.of().parseHex(keyHex.strip())));
  }

  @Test
  void longKeysAreCutShort() {
    assertEquals("a".repeat(ResultLines.MAX_SHOWN_CHARS) + "...", ResultLines.streamOf("a".repeat(10_000).getBytes(StandardCharsets.UTF_8)));
    byte[] binary = new byte[1000];
    String shown = ResultLines.streamOf(binary);
    assertEquals("0x" + "0".repeat(ResultLines.MAX_SHOWN_CHARS) + "...(1000 bytes)", shown);
    assertEquals("-", ResultLines.streamOf(null));
    assertEquals("0x", ResultLines.streamOf(new byte[0]));
  }

  @ParameterizedTest
  @CsvSource({"../../etc/passwd, .._.._etc_passwd-2-1234.bin", "'', _-2-1234.bin", "'..', _..-2-1234.bin"})
  void payloadFileNamesStayInsideTheDirectory(String topic, String expected) {
    assertEquals(expected, SavedFiles.payloadName(letter(null, new byte[0], topic, DeadLetterStage.DECODE, "")));
  }
}
