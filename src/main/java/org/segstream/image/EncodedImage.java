package org.segstream.image;

/**
 * An image as bytes, before decoding, with the size its carrier declares: for {@link ImageEncoding#RAW_BGR}
 * the only size there is, for the other encodings a claim their header must match (0×0 when unknown). Nothing is
 * decoded or allocated by building one.
 */
public record EncodedImage(ImageEncoding encoding, int width, int height, byte[] data) {

  /**
   * The image in {@code data} with the encoding and size its header declares: the way to feed a file of any
   * supported format.
   *
   * @throws ImageDecodeException when the bytes are not an image whose header {@link ImageHeader} reads
   */
  public static EncodedImage detect(byte[] data) {
    ImageHeader header = ImageHeader.read(data);
    return new EncodedImage(ImageEncoding.of(header.format()), header.width(), header.height(), data);
  }

  public long pixels() {
    return (long) width * height;
  }
}
