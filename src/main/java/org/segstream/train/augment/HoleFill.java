package org.segstream.train.augment;

/**
 * Paints over the pixels of a mask (a pet, a swan) so an image can serve as a pure background:
 * each hole pixel takes the colour of the nearest kept pixel in its row, and rows with no kept
 * pixel copy the nearest row that has one.
 */
public final class HoleFill {
  private HoleFill() {}

  /**
   * Fills {@code hole} pixels of {@code rgb} (width × height, interleaved RGB) in place.
   *
   * @return false when every pixel is a hole (nothing to fill from; the image is left as it was)
   */
  public static boolean fill(byte[] rgb, int width, int height, boolean[] hole) {
    boolean[] rowHasKept = new boolean[height];
    boolean any = false;
    for (int y = 0; y < height; y++) {
      int row = y * width;
      int[] nearest = nearestKept(hole, row, width);
      if (nearest == null) {
        continue;
      }
      rowHasKept[y] = true;
      any = true;
      for (int x = 0; x < width; x++) {
        if (hole[row + x]) {
          copy(rgb, row + nearest[x], row + x);
        }
      }
    }
    if (!any) {
      return false;
    }
    for (int y = 0; y < height; y++) {
      if (!rowHasKept[y]) {
        int source = nearestRow(rowHasKept, y);
        System.arraycopy(rgb, 3 * source * width, rgb, 3 * y * width, 3 * width);
      }
    }
    return true;
  }

  /** For each x of the row, the x of the nearest kept pixel; null when the row has none. */
  private static int[] nearestKept(boolean[] hole, int row, int width) {
    int[] nearest = new int[width];
    int last = -1;
    for (int x = 0; x < width; x++) {
      if (!hole[row + x]) {
        last = x;
      }
      nearest[x] = last;
    }
    if (last < 0) {
      return null;
    }
    int next = -1;
    for (int x = width - 1; x >= 0; x--) {
      if (!hole[row + x]) {
        next = x;
      }
      if (nearest[x] < 0 || (next >= 0 && next - x < x - nearest[x])) {
        nearest[x] = next;
      }
    }
    return nearest;
  }

  private static int nearestRow(boolean[] rowHasKept, int y) {
    for (int d = 1; ; d++) {
      if (y - d >= 0 && rowHasKept[y - d]) {
        return y - d;
      }
      if (y + d < rowHasKept.length && rowHasKept[y + d]) {
        return y + d;
      }
    }
  }

  private static void copy(byte[] rgb, int from, int to) {
    rgb[3 * to] = rgb[3 * from];
    rgb[3 * to + 1] = rgb[3 * from + 1];
    rgb[3 * to + 2] = rgb[3 * from + 2];
  }
}
