package org.segstream.dataset;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.segstream.image.ImageCodec;
import org.segstream.image.ImageDecodeException;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;

/**
 * Reads dataset files by their content, never by their extension: OpenCV first (JPEG, PNG, alpha
 * dropped), then javax.imageio for what OpenCV lacks (GIF). Label maps are 8-bit single-channel.
 */
final class ImageFiles {
  private ImageFiles() {}

  static RgbImage readRgb(Path file) throws SkippedPairException {
    byte[] bytes = readBytes(file);
    try {
      return ImageCodec.decode(bytes);
    } catch (ImageDecodeException e) {
      RgbImage fallback = decodeWithImageIo(bytes);
      if (fallback == null) {
        throw new SkippedPairException(file.getFileName() + " is not a readable image (" + e.getMessage() + ")");
      }
      return fallback;
    }
  }

  static LabelMap readLabels(Path file) throws SkippedPairException {
    byte[] bytes = readBytes(file);
    try {
      return ImageCodec.decodePngGray(bytes);
    } catch (ImageDecodeException e) {
      throw new SkippedPairException(file.getFileName() + " is not an 8-bit grey label map (" + e.getMessage() + ")");
    }
  }

  private static byte[] readBytes(Path file) throws SkippedPairException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new SkippedPairException("cannot read " + file.getFileName() + ": " + e.getMessage());
    }
  }

  /** GIF and other formats javax.imageio knows; alpha dropped; null when it cannot decode either. */
  private static RgbImage decodeWithImageIo(byte[] bytes) {
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      return null;
    }
    if (image == null) {
      return null;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    byte[] rgb = new byte[3 * w * h];
    for (int i = 0; i < argb.length; i++) {
      rgb[3 * i] = (byte) (argb[i] >> 16);
      rgb[3 * i + 1] = (byte) (argb[i] >> 8);
      rgb[3 * i + 2] = (byte) argb[i];
    }
    return new RgbImage(w, h, rgb);
  }
}
