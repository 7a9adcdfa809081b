package org.segstream.track;

/**
 * One object of one frame: a connected component of the foreground with the id of its track.
 *
 * @param id stable within the stream until end of stream or a discontinuity, never reused within it
 * @param classIndex the majority class of its pixels
 * @param area pixels
 * @param x left of the bounding box, px
 * @param y top of the bounding box, px
 * @param contourIndex the index of its outer contour in the frame's contours, -1 when none traces it
 */
public record TrackedInstance(
    long id, int classIndex, int area, int x, int y, int width, int height, float centroidX, float centroidY, int contourIndex) {

  /** The same instance with another contour index (-1 when the contours were dropped from the result). */
  public TrackedInstance withContourIndex(int index) {
    return new TrackedInstance(id, classIndex, area, x, y, width, height, centroidX, centroidY, index);
  }
}
