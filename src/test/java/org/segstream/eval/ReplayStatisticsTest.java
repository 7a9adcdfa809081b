package org.segstream.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.VideoFrame;
import org.segstream.image.EncodedImage;
import org.segstream.image.ImageEncoding;
import org.segstream.kafka.FrameRecords;
import org.segstream.kafka.ResultRecords;
import org.segstream.segment.LeftOut;

class ReplayStatisticsTest {
  private final ResultRecords results = new ResultRecords(List.of("object", "background"), "m", "1");

  private static VideoFrame frame(long sequence) {
    return FrameRecords.frame("cam", sequence, sequence * 33_333, 1_000 + sequence * 33, new EncodedImage(ImageEncoding.JPEG, 64, 48,
        new byte[] {1}), "test", false);
  }

  @Test
  void resultsThatLeftSomethingOutAreCountedByPartAndEndsOfStreamAreNot() {
    SegmentationResult skipped = results.skipped(frame(0), new LeftOut(LeftOut.Part.SEGMENTATION, "late"), 5);
    SegmentationResult skippedToo = results.skipped(frame(1), new LeftOut(LeftOut.Part.SEGMENTATION, "late"), 5);
    SegmentationResult end = results.endOfStream(FrameRecords.endOfStream("cam", 2, 66_666, 1_066, 64, 48, "test"));

    ReplayStatistics stats = ReplayStatistics.of(List.of(skipped, skippedToo, end));

    assertEquals(2, stats.results());
    assertEquals(Map.of("OTHER", 0L, "FULL_RESOLUTION_REFINEMENT", 0L, "REFINEMENT", 0L, "SEGMENTATION", 2L), stats.leftOut());
    assertEquals(List.of("OTHER", "FULL_RESOLUTION_REFINEMENT", "REFINEMENT", "SEGMENTATION"), List.copyOf(stats.leftOut().keySet()),
        "in the schema's order");
  }
}
