package org.segstream.track;

/**
 * One connected component of a frame's foreground, before it has an id.
 *
 * @param x left of the bounding box, px (the box is {@code width × height} from there)
 * @param contourIndex the index of the contour that traces its outside, -1 when none does
 */
public record Blob(int area, int classIndex, int x, int y, int width, int height, float centroidX, float centroidY, int contourIndex) {
  TrackedInstance withId(long id) {
    return new TrackedInstance(id, classIndex, area, x, y, width, height, centroidX, centroidY, contourIndex);
  }
}
