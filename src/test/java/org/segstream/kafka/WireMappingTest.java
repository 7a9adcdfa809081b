package org.segstream.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.FrameEncoding;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.VideoFrame;
import org.segstream.image.EncodedImage;
import org.segstream.image.ImageCodec;
import org.segstream.image.ImageEncoding;
import org.segstream.image.LabelMap;
import org.segstream.refine.Contour;
import org.segstream.refine.Polyline;
import org.segstream.track.TrackedInstance;
import org.segstream.segment.FailureStage;
import org.segstream.segment.FrameOutcome;
import org.segstream.testing.BadImages;
import org.segstream.version.SegstreamVersion;

/** The domain values and the Avro records map both ways, symbol for symbol and field for field. */
class WireMappingTest {

  @ParameterizedTest
  @EnumSource(FailureStage.class)
  void everyFailureStageHasTheDeadLetterStageOfItsName(FailureStage stage) {
    assertEquals(stage.name(), DeadLetters.wire(stage).name());
  }

  @ParameterizedTest
  @EnumSource(FrameEncoding.class)
  void everyWireEncodingRoundTrips(FrameEncoding encoding) {
    assertEquals(encoding, FrameRecords.wire(FrameRecords.domain(encoding)));
  }

  @Test
  void anEncodingTheWireLacksIsRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FrameRecords.wire(ImageEncoding.BMP));
    assertTrue(e.getMessage().contains("BMP"), e.getMessage());
  }

  @Test
  void aPublishedFrameMapsBackToItsImage() {
    byte[] png = BadImages.png(33, 21);
    VideoFrame frame = FrameRecords.frame("cam", 4, 10, 20, EncodedImage.detect(png), "file:x.png", true);
    assertEquals(FrameEncoding.PNG, frame.getEncoding());
    EncodedImage image = FrameRecords.toImage(AvroSerdes.frameCodec().decode(AvroSerdes.frameCodec().encode(frame)), 1000);
    assertEquals(ImageEncoding.PNG, image.encoding());
    assertEquals(33, image.width());
    assertArrayEquals(png, image.data());
    FrameRecords.RejectedFrameException over = assertThrows(FrameRecords.RejectedFrameException.class,
        () -> FrameRecords.toImage(frame, 100));
    assertEquals(FailureStage.DECODE, over.stage());
  }

  @Test
  void aResultCarriesTheSegmentedFrameAndGivesBackItsLabelsAndContours() {
    LabelMap labels = new LabelMap(2, 2, new byte[] {0, 1, 1, 1});
    List<Contour> contours =
        List.of(new Contour(0, 2.0, new Polyline(new int[] {0, 1, 1}, new int[] {0, 0, 1}), List.of(
            new Polyline(new int[] {0, 1, 0}, new int[] {1, 1, 0}))));
    var segmented = new FrameOutcome.Segmented(labels, new float[] {0.25f, 0.75f}, contours,
        ImageCodec.encodePngGray(labels), true, 3, new FrameOutcome.StageTimings(1, 2, 3, 4));
    VideoFrame frame = FrameRecords.endOfStream("cam", 7, 100, 200, 2, 2, "file:x");
    ResultRecords results = new ResultRecords(List.of("a", "b"), "m", "1");
    SegmentationResult r = AvroSerdes.resultCodec().decode(AvroSerdes.resultCodec().encode(results.segmented(frame, segmented, 5)));
    assertEquals(7, r.getSequence());
    assertEquals(List.of(0.25f, 0.75f), r.getClassFractions());
    assertEquals(5f, r.getTimings().getQueueWaitMs());
    assertArrayEquals(labels.labels(), ResultRecords.labels(r).labels());
    List<Contour> back = ResultRecords.contours(r);
    assertEquals(1, back.size());
    assertArrayEquals(contours.get(0).outer().xs(), back.get(0).outer().xs());
    assertArrayEquals(contours.get(0).holes().get(0).ys(), back.get(0).holes().get(0).ys());
    assertTrue(ResultRecords.withoutContours(r).getContoursDropped());
    assertTrue(results.endOfStream(frame).getEndOfStream());
  }

  @Test
  void resultsCarryTheVersionOfTheSegstreamThatMadeThem() {
    String pomVersion = System.getProperty("segstream.version");
    assertNotNull(pomVersion, "the build passes the pom's version as segstream.version");
    assertEquals(pomVersion, SegstreamVersion.current());
    var segmented = new FrameOutcome.Segmented(new LabelMap(1, 1, new byte[] {0}), new float[] {1f}, List.of(),
        ImageCodec.encodePngGray(new LabelMap(1, 1, new byte[] {0})), false, 1, new FrameOutcome.StageTimings(1, 2, 3, 4));
    VideoFrame frame = FrameRecords.endOfStream("cam", 0, 0, 0, 1, 1, "file:x");
    ResultRecords results = new ResultRecords(List.of("a"), "m", "1");
    SegmentationResult r = AvroSerdes.resultCodec().decode(AvroSerdes.resultCodec().encode(results.segmented(frame, segmented, 0)));
    assertEquals(pomVersion, r.getProducerVersion());
    assertEquals(pomVersion, results.endOfStream(frame).getProducerVersion());
    assertEquals("9.9.9", new ResultRecords(List.of("a"), "m", "1", "9.9.9").endOfStream(frame).getProducerVersion());
  }

  @Test
  void aResultCarriesItsInstancesAndDroppedContoursLeaveThemPointingAtNone() {
    LabelMap labels = new LabelMap(2, 2, new byte[] {0, 1, 1, 1});
    var segmented = new FrameOutcome.Segmented(labels, new float[] {0.25f, 0.75f}, List.of(),
        ImageCodec.encodePngGray(labels), false, 1, new FrameOutcome.StageTimings(1, 2, 3, 4));
    VideoFrame frame = FrameRecords.endOfStream("cam", 7, 100, 200, 2, 2, "file:x");
    TrackedInstance dog = new TrackedInstance(7169, 0, 1, 0, 0, 1, 1, 0.5f, 0.5f, 0);
    ResultRecords results = new ResultRecords(List.of("a", "b"), "m", "1");
    SegmentationResult r = AvroSerdes.resultCodec().decode(AvroSerdes.resultCodec().encode(
        results.segmented(frame, segmented, 5, List.of(dog))));
    assertEquals(List.of(dog), ResultRecords.instances(r));
    assertEquals(List.of(dog.withContourIndex(-1)), ResultRecords.instances(ResultRecords.withoutContours(r)));
    assertEquals(List.of(), ResultRecords.instances(results.segmented(frame, segmented, 5)));
  }

  @Test
  void aDeadLetterOverTheLimitIsCutAndSaysSo() {
    String longMessage = DeadLetters.of(null, new byte[0], "t", 0, 1, FailureStage.DECODE, "E", "x".repeat(5000))
        .getErrorMessage();
    assertTrue(longMessage.length() < 4200 && longMessage.endsWith("(5000 chars)"), "the message is abbreviated");
    DeadLetter letter = DeadLetters.of(new byte[100], new byte[5000], "t", 0, 1, FailureStage.DECODE, "E", "bad");
    DeadLetters.Addressed cut = DeadLetters.fit(new byte[100], letter, 2048, 2048 + 512);
    assertEquals(100, cut.key().length, "the record key fits once the value is cut");
    // the budget leaves the record overhead as headroom: the cut letter and its key fit the record limit
    assertTrue(AvroSerdes.deadLetterCodec().encode(cut.letter()).length + cut.key().length <= 2048 + 512);
    assertTrue(cut.letter().getValue().remaining() < 2048, "the value is cut");
    assertTrue(cut.letter().getErrorMessage().contains("dead letter cut to the record limit"));
  }
}
