package org.segstream.report;

import java.util.List;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;
import org.segstream.refine.Contour;
import org.segstream.refine.Polyline;

/** Draws masks (tinted per class) and contours over a frame, for overlay videos and contact sheets. */
public final class Overlay {
  /** Class colours, RGB, by class index (background is left untinted). */
  private static final int[][] PALETTE = {
    {255, 140, 0}, {40, 120, 255}, {255, 230, 40}, {220, 40, 200}, {40, 220, 120}, {255, 60, 60}, {150, 90, 255}, {0, 220, 220}
  };
  private static final float ALPHA = 0.45f;

  private Overlay() {}

  public static int[] colourOf(int classIndex) {
    return PALETTE[classIndex % PALETTE.length];
  }

  /** A new image: the frame with every non-background class tinted and the contours drawn in white. */
  public static RgbImage draw(RgbImage frame, LabelMap labels, int backgroundClass, List<Contour> contours) {
    if (frame.width() != labels.width() || frame.height() != labels.height()) {
      throw new IllegalArgumentException(
          "frame is " + frame.width() + "x" + frame.height() + " but labels are " + labels.width() + "x" + labels.height());
    }
    byte[] out = frame.rgb().clone();
    byte[] l = labels.labels();
    for (int i = 0; i < l.length; i++) {
      int c = l[i] & 0xff;
      if (c == backgroundClass) {
        continue;
      }
      int[] colour = colourOf(c);
      for (int ch = 0; ch < 3; ch++) {
        int v = out[3 * i + ch] & 0xff;
        out[3 * i + ch] = (byte) Math.round(v * (1 - ALPHA) + colour[ch] * ALPHA);
      }
    }
    RgbImage image = new RgbImage(frame.width(), frame.height(), out);
    for (Contour contour : contours) {
      drawPolygon(image, contour.outer(), new int[] {255, 255, 255});
      for (Polyline hole : contour.holes()) {
        drawPolygon(image, hole, new int[] {200, 200, 200});
      }
    }
    return image;
  }

  /** The label map as a colour picture (background black), for contact sheets. */
  public static RgbImage colourise(LabelMap labels, int backgroundClass) {
    byte[] out = new byte[labels.labels().length * 3];
    for (int i = 0; i < labels.labels().length; i++) {
      int c = labels.labels()[i] & 0xff;
      if (c == backgroundClass) {
        continue;
      }
      int[] colour = colourOf(c);
      out[3 * i] = (byte) colour[0];
      out[3 * i + 1] = (byte) colour[1];
      out[3 * i + 2] = (byte) colour[2];
    }
    return new RgbImage(labels.width(), labels.height(), out);
  }

  /** A closed polygon, 1 px lines (Bresenham), clipped to the image. */
  static void drawPolygon(RgbImage image, Polyline polygon, int[] colour) {
    int n = polygon.xs().length;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      drawLine(image, polygon.xs()[i], polygon.ys()[i], polygon.xs()[j], polygon.ys()[j], colour);
    }
  }

  static void drawLine(RgbImage image, int x0, int y0, int x1, int y1, int[] colour) {
    int dx = Math.abs(x1 - x0);
    int dy = -Math.abs(y1 - y0);
    int sx = x0 < x1 ? 1 : -1;
    int sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    while (true) {
      setPixel(image, x0, y0, colour);
      if (x0 == x1 && y0 == y1) {
        return;
      }
      int e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x0 += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y0 += sy;
      }
    }
  }

  private static void setPixel(RgbImage image, int x, int y, int[] colour) {
    if (x < 0 || y < 0 || x >= image.width() || y >= image.height()) {
      return;
    }
    int p = 3 * (y * image.width() + x);
    image.rgb()[p] = (byte) colour[0];
    image.rgb()[p + 1] = (byte) colour[1];
    image.rgb()[p + 2] = (byte) colour[2];
  }
}
