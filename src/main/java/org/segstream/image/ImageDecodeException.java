package org.segstream.image;

/** Bytes that are not an image OpenCV can decode (or not the kind of image the caller needs). */
public final class ImageDecodeException extends RuntimeException {
  public ImageDecodeException(String message) {
    super(message);
  }
}
