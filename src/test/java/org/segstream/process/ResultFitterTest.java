package org.segstream.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.segstream.avro.ModelRef;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.Timings;
import org.segstream.kafka.AvroSerdes;
import org.segstream.kafka.ResultRecords;
import org.segstream.refine.Contour;
import org.segstream.refine.Polyline;

/** A result over the record limit: simplified, then its contours dropped, then refused. */
class ResultFitterTest {
  private static final int KEY = 3;

  /** A circle of radius 1000 px traced through 4000 vertices. */
  private static final List<Contour> CIRCLE = circle();

  private static List<Contour> circle() {
    int n = 4000;
    int[] xs = new int[n];
    int[] ys = new int[n];
    for (int i = 0; i < n; i++) {
      xs[i] = 1500 + (int) Math.round(1000 * Math.cos(2 * Math.PI * i / n));
      ys[i] = 1500 + (int) Math.round(1000 * Math.sin(2 * Math.PI * i / n));
    }
    return List.of(new Contour(0, Math.PI * 1e6, new Polyline(xs, ys), List.of()));
  }

  private static SegmentationResult result(int pngBytes) {
    return ResultRecords.withContours(SegmentationResult.newBuilder()
        .setStreamId("cam").setSequence(1).setCaptureTimeUs(0).setCaptureWallTimeMs(0).setResultWallTimeMs(0)
        .setWidth(3000).setHeight(3000).setClassNames(List.of("object", "background"))
        .setLabelMapPng(ByteBuffer.wrap(new byte[pngBytes])).setClassFractions(List.of(0.3f, 0.7f))
        .setContours(List.of()).setModel(new ModelRef("m", "1")).setRefined(false)
        .setBatchSize(1).setTimings(new Timings(0f, 0f, 0f, 0f, 0f)).build(), CIRCLE);
  }

  private static int size(SegmentationResult r) {
    return AvroSerdes.resultCodec().encode(r).length;
  }

  /** The record limit that leaves exactly {@code bytes} for the result's value. */
  private static ResultFitter fitterFor(int bytes) {
    return new ResultFitter(bytes + KEY + ResultFitter.RECORD_OVERHEAD_BYTES, AvroSerdes.resultCodec()::encode);
  }

  @Test
  void aResultUnderTheLimitIsUntouched() {
    SegmentationResult r = result(1000);
    var fitted = assertInstanceOf(ResultFitter.Fits.class, fitterFor(size(r)).fit(KEY, r, CIRCLE, 1.5));
    assertNull(fitted.shrunk());
    assertEquals(r, fitted.result());
    assertFalse(fitted.result().getContoursDropped());
  }

  @Test
  void contoursAreSimplifiedFurtherFirst() {
    SegmentationResult r = result(1000);
    SegmentationResult without = SegmentationResult.newBuilder(r).setContours(new ArrayList<>()).build();
    var fitted = assertInstanceOf(ResultFitter.Fits.class, fitterFor(size(without) + 2000).fit(KEY, r, CIRCLE, 1.5));
    assertTrue(fitted.shrunk().startsWith("contours simplified at epsilon 6.0 px"), fitted.shrunk());
    int vertices = fitted.result().getContours().get(0).getOuter().getXs().size();
    assertTrue(vertices > 8 && vertices < 400, "a circle of " + vertices + " vertices");
    assertEquals(CIRCLE.get(0).area(), fitted.result().getContours().get(0).getArea(), "areas are kept");
    assertFalse(fitted.result().getContoursDropped());
    assertTrue(fitted.bytes() <= size(without) + 2000);
  }

  @Test
  void thenDroppedWithTheFlagSet() {
    SegmentationResult r = result(1000);
    SegmentationResult dropped = SegmentationResult.newBuilder(r).setContours(new ArrayList<>()).setContoursDropped(true).build();
    var fitted = assertInstanceOf(ResultFitter.Fits.class, fitterFor(size(dropped)).fit(KEY, r, CIRCLE, 1.5));
    assertTrue(fitted.shrunk().startsWith("contours dropped"), fitted.shrunk());
    assertTrue(fitted.result().getContours().isEmpty());
    assertTrue(fitted.result().getContoursDropped());
    assertEquals(r.getLabelMapPng(), fitted.result().getLabelMapPng(), "the label map is whole");
  }

  @Test
  void aLabelMapOverTheLimitDoesNotFit() {
    SegmentationResult r = result(5000);
    var tooLarge = assertInstanceOf(ResultFitter.TooLarge.class, fitterFor(4000).fit(KEY, r, CIRCLE, 1.5));
    assertTrue(tooLarge.reason().contains("label map PNG 5000 bytes"), tooLarge.reason());
    assertTrue(tooLarge.reason().contains("over the record limit of 4000 bytes"), tooLarge.reason());
  }
}
