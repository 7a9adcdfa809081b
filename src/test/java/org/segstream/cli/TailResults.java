package org.segstream.cli;

import java.nio.ByteBuffer;
import java.util.List;
import org.segstream.avro.Contour;
import org.segstream.avro.ModelRef;
import org.segstream.avro.Polygon;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.Timings;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;

/** Hand-made results for the tail and results-consumer tests. */
public final class TailResults {
  private TailResults() {}

  /** A 4x2 map: pet in the first 2 pixels, border in 1, background in the rest. */
  public static LabelMap labels(int shift) {
    byte[] l = {0, 0, 2, 1, 1, 1, 1, 1};
    l[7] = (byte) (shift % 3);
    return new LabelMap(4, 2, l);
  }

  public static SegmentationResult result(String stream, long sequence, long captureWallMs, long latencyMs, LabelMap map) {
    int[] counts = new int[3];
    for (byte b : map.labels()) {
      counts[b]++;
    }
    int n = map.labels().length;
    return SegmentationResult.newBuilder()
        .setStreamId(stream)
        .setSequence(sequence)
        .setCaptureTimeUs(sequence * 33_333)
        .setCaptureWallTimeMs(captureWallMs)
        .setResultWallTimeMs(captureWallMs + latencyMs)
        .setWidth(map.width())
        .setHeight(map.height())
        .setClassNames(List.of("pet", "background", "border"))
        .setLabelMapPng(ByteBuffer.wrap(ImageCodec.encodePngGray(map)))
        .setClassFractions(List.of((float) counts[0] / n, (float) counts[1] / n, (float) counts[2] / n))
        .setContours(List.of(new Contour(0, 2.0, new Polygon(List.of(0, 1, 1, 0), List.of(0, 0, 1, 1)), List.of())))
        .setModel(new ModelRef("pets-live", "1"))
        .setRefined(false)
        .setBatchSize(2)
        .setTimings(new Timings(1f, 2f, 3f, 0f, 1f))
        .setEndOfStream(false)
        .build();
  }

  public static SegmentationResult endOfStream(String stream, long sequence) {
    return SegmentationResult.newBuilder(result(stream, sequence, 0, 0, labels(0)))
        .setLabelMapPng(ByteBuffer.allocate(0))
        .setClassFractions(List.of())
        .setContours(List.of())
        .setEndOfStream(true)
        .build();
  }
}
