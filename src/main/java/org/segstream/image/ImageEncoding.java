package org.segstream.image;

/**
 * How an image's bytes are encoded: one of the formats whose header {@link ImageHeader} reads, or raw
 * BGR pixels (3 bytes a pixel, row-major, no header, so their size is declared beside them).
 */
public enum ImageEncoding {
  JPEG,
  PNG,
  BMP,
  GIF,
  WEBP,
  RAW_BGR;

  /** The encoding a header says its bytes are in. */
  public static ImageEncoding of(ImageHeader.Format format) {
    return switch (format) {
      case JPEG -> JPEG;
      case PNG -> PNG;
      case BMP -> BMP;
      case GIF -> GIF;
      case WEBP -> WEBP;
    };
  }
}
