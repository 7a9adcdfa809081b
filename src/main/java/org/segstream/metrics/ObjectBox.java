package org.segstream.metrics;

import java.util.ArrayList;
import java.util.List;
import org.segstream.image.LabelMap;

/** An object of one frame by its id and bounding box (px; {@code width × height} from the top-left {@code x, y}). */
public record ObjectBox(long id, int x, int y, int width, int height) {
  public ObjectBox {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("object " + id + " has a box of " + width + "x" + height + " px");
    }
  }

  /** The boxes of an id map (pixel = object id, 0 = none), in id order. */
  public static List<ObjectBox> of(LabelMap ids) {
    int[] x0 = new int[256];
    int[] y0 = new int[256];
    int[] x1 = new int[256];
    int[] y1 = new int[256];
    java.util.Arrays.fill(x0, Integer.MAX_VALUE);
    java.util.Arrays.fill(x1, -1);
    byte[] px = ids.labels();
    for (int y = 0, i = 0; y < ids.height(); y++) {
      for (int x = 0; x < ids.width(); x++, i++) {
        int id = px[i] & 0xff;
        if (id != 0) {
          if (x1[id] < 0) {
            y0[id] = y; // rows come in order: the first is the top
          }
          x0[id] = Math.min(x0[id], x);
          x1[id] = Math.max(x1[id], x);
          y1[id] = y;
        }
      }
    }
    List<ObjectBox> boxes = new ArrayList<>();
    for (int id = 1; id < 256; id++) {
      if (x1[id] >= 0) {
        boxes.add(new ObjectBox(id, x0[id], y0[id], x1[id] - x0[id] + 1, y1[id] - y0[id] + 1));
      }
    }
    return boxes;
  }

  /** Intersection over union of the two boxes. */
  public double iou(ObjectBox o) {
    long iw = Math.min(x + width, o.x + o.width) - Math.max(x, o.x);
    long ih = Math.min(y + height, o.y + o.height) - Math.max(y, o.y);
    if (iw <= 0 || ih <= 0) {
      return 0;
    }
    long inter = iw * ih;
    return (double) inter / ((long) width * height + (long) o.width * o.height - inter);
  }
}
