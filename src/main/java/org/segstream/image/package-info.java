/**
 * Images as plain values and the pixel work on them: RGB images, label and probability maps, encoded images with
 * their {@link org.segstream.image.ImageEncoding}, header reading that refuses oversized or truncated files before
 * decoding, OpenCV decode/encode/resize, and resampling. The foundation of every other package: it imports only
 * the JDK and JavaCV/OpenCV, nothing of ours.
 */
package org.segstream.image;
