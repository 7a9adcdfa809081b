package org.segstream.refine;

import java.util.List;

/**
 * One connected region (8-connected) of one class: its outer boundary and the boundaries of its holes, traced
 * through the centres of the region's own edge pixels. {@code area} is the region's pixel count (holes excluded).
 */
public record Contour(int classIndex, double area, Polyline outer, List<Polyline> holes) {
  public Contour {
    holes = List.copyOf(holes);
  }
}
