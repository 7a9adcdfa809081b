package org.segstream.eval;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.segstream.avro.Contour;
import org.segstream.avro.Polygon;
import org.segstream.avro.SegmentationResult;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.refine.Polyline;

/** Plain values out of a {@link SegmentationResult} record: its label map and its contours. */
public final class ResultRecords {
  private ResultRecords() {}

  /** The result's label map (decoded from its PNG). */
  public static LabelMap labels(SegmentationResult r) {
    ByteBuffer dup = r.getLabelMapPng().duplicate();
    byte[] png = new byte[dup.remaining()];
    dup.get(png);
    return ImageCodec.decodePngGray(png);
  }

  /** The result's contours as {@code refine} values, for drawing. */
  public static List<org.segstream.refine.Contour> contours(SegmentationResult r) {
    List<org.segstream.refine.Contour> out = new ArrayList<>();
    for (Contour c : r.getContours()) {
      List<Polyline> holes = new ArrayList<>();
      for (Polygon h : c.getHoles()) {
        holes.add(polyline(h));
      }
      out.add(new org.segstream.refine.Contour(c.getClassIndex(), c.getArea(), polyline(c.getOuter()), holes));
    }
    return out;
  }

  private static Polyline polyline(Polygon p) {
    return new Polyline(p.getXs().stream().mapToInt(Integer::intValue).toArray(), p.getYs().stream().mapToInt(Integer::intValue).toArray());
  }
}
