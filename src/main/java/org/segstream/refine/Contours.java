package org.segstream.refine;

import static org.bytedeco.opencv.global.opencv_core.CV_32SC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_SIMPLE;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_CCOMP;
import static org.bytedeco.opencv.global.opencv_imgproc.approxPolyDP;
import static org.bytedeco.opencv.global.opencv_imgproc.findContours;

import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.segstream.image.LabelMap;

/**
 * Region outlines of a label map, with OpenCV: per class other than the background, {@code findContours} with
 * {@code RETR_CCOMP} (a two-level hierarchy: each component's outer boundary, then its holes; regions are
 * 8-connected), then Douglas–Peucker ({@code approxPolyDP}) at {@code epsilon} px. Areas are pixel counts of
 * the same 8-connected regions ({@link ComponentAreas}), so a 10×10 square has area 100, not the 81 of the
 * polygon through its edge pixels' centres.
 */
public final class Contours {
  private static final int HIERARCHY_NEXT = 0;
  private static final int HIERARCHY_FIRST_CHILD = 2;
  private static final int HIERARCHY_PARENT = 3;

  private Contours() {}

  /**
   * The contours of every class except {@code backgroundClass}, ordered by class, then by area (largest
   * first). {@code epsilon} 0 keeps the exact boundary (only collinear vertices along horizontal, vertical and
   * diagonal runs are dropped); regions of fewer than {@code minArea} pixels are left out (their holes are
   * always kept with them).
   */
  public static List<Contour> extract(LabelMap labels, int backgroundClass, double epsilon, double minArea) {
    if (!(epsilon >= 0) || !(minArea >= 0)) {
      throw new IllegalArgumentException("epsilon and minArea must be ≥ 0, got " + epsilon + " and " + minArea);
    }
    int w = labels.width();
    int h = labels.height();
    byte[] src = labels.labels();
    long[] histogram = new long[256];
    for (byte b : src) {
      histogram[b & 0xff]++;
    }
    List<Contour> out = new ArrayList<>();
    ComponentAreas areas = new ComponentAreas(labels, backgroundClass);
    byte[] mask = new byte[src.length];
    try (Mat maskMat = new Mat(h, w, CV_8UC1)) {
      for (int k = 0; k < 256; k++) {
        if (k == backgroundClass || histogram[k] == 0) {
          continue;
        }
        for (int i = 0; i < src.length; i++) {
          mask[i] = (src[i] & 0xff) == k ? (byte) 255 : 0;
        }
        maskMat.data().put(mask);
        int before = out.size();
        classContours(maskMat, k, epsilon, minArea, areas, out);
        out.subList(before, out.size()).sort(Comparator.comparingDouble(Contour::area).reversed());
      }
    }
    return out;
  }

  /**
   * The same contours with every outline simplified again by Douglas–Peucker at {@code epsilon} px
   * (areas kept as they were): for shrinking a result that does not fit its topic.
   */
  public static List<Contour> simplify(List<Contour> contours, double epsilon) {
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
    }
    List<Contour> out = new ArrayList<>(contours.size());
    for (Contour c : contours) {
      List<Polyline> holes = new ArrayList<>(c.holes().size());
      for (Polyline h : c.holes()) {
        holes.add(simplify(h, epsilon));
      }
      out.add(new Contour(c.classIndex(), c.area(), simplify(c.outer(), epsilon), holes));
    }
    return out;
  }

  private static Polyline simplify(Polyline p, double epsilon) {
    if (p.size() < 3) {
      return p;
    }
    int[] xy = new int[2 * p.size()];
    for (int i = 0; i < p.size(); i++) {
      xy[2 * i] = p.xs()[i];
      xy[2 * i + 1] = p.ys()[i];
    }
    try (IntPointer data = new IntPointer(xy);
        Mat points = new Mat(p.size(), 1, CV_32SC2, data);
        Mat approx = new Mat()) {
      approxPolyDP(points, approx, epsilon, true);
      return points(approx);
    }
  }

  private static void classContours(Mat mask, int classIndex, double epsilon, double minArea, ComponentAreas areas,
      List<Contour> out) {
    try (MatVector contours = new MatVector(); Mat hierarchy = new Mat()) {
      findContours(mask, contours, hierarchy, RETR_CCOMP, CHAIN_APPROX_SIMPLE);
      int n = (int) contours.size();
      if (n == 0) {
        return;
      }
      int[] links = ints(hierarchy, 4 * n);
      for (int i = 0; i < n; i++) {
        if (links[4 * i + HIERARCHY_PARENT] != -1) {
          continue; // a hole: collected with its parent
        }
        Polyline outer = polyline(contours.get(i), epsilon);
        // Every outer vertex is one of the region's own pixels (simplification keeps a subset of them).
        double area = areas.areaAt(outer.xs()[0], outer.ys()[0]);
        if (area < minArea) {
          continue;
        }
        List<Polyline> holes = new ArrayList<>();
        for (int c = links[4 * i + HIERARCHY_FIRST_CHILD]; c != -1; c = links[4 * c + HIERARCHY_NEXT]) {
          holes.add(polyline(contours.get(c), epsilon));
        }
        out.add(new Contour(classIndex, area, outer, holes));
      }
    }
  }

  /** Reads (and releases) one contour Mat, simplified when epsilon > 0. */
  private static Polyline polyline(Mat contour, double epsilon) {
    try (contour) {
      if (epsilon > 0) {
        try (Mat approx = new Mat()) {
          approxPolyDP(contour, approx, epsilon, true);
          return points(approx);
        }
      }
      return points(contour);
    }
  }

  private static Polyline points(Mat pointMat) {
    int n = pointMat.rows() * pointMat.cols();
    int[] xy = ints(pointMat, 2 * n);
    int[] xs = new int[n];
    int[] ys = new int[n];
    for (int i = 0; i < n; i++) {
      xs[i] = xy[2 * i];
      ys[i] = xy[2 * i + 1];
    }
    return new Polyline(xs, ys);
  }

  private static int[] ints(Mat mat, int count) {
    int[] out = new int[count];
    if (count > 0) {
      IntBuffer buffer = mat.createBuffer();
      buffer.get(out);
    }
    return out;
  }
}
