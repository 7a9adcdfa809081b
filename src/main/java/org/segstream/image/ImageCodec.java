package org.segstream.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_PNG_COMPRESSION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_PNG_FILTER;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_PNG_FILTER_NONE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_PNG_STRATEGY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_PNG_STRATEGY_RLE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Image encoding, decoding and resizing with OpenCV. Every native buffer lives inside one call and is
 * closed before it returns: what goes in and comes out is plain Java ({@link RgbImage}, {@link LabelMap},
 * {@code byte[]}). Stateless and thread-safe.
 */
public final class ImageCodec {
  private ImageCodec() {}

  /** JPEG of the image at {@code quality} 1..100 (OpenCV's libjpeg, 4:2:0). */
  public static byte[] encodeJpeg(RgbImage image, int quality) {
    if (quality < 1 || quality > 100) {
      throw new IllegalArgumentException("JPEG quality must be 1..100, got " + quality);
    }
    try (Mat mat = toMat(image);
        IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, quality)) {
      cvtColor(mat, mat, COLOR_RGB2BGR); // OpenCV encoders expect BGR
      return encode(".jpg", mat, params);
    }
  }

  /** A colour PNG of the image (a lossless snapshot). */
  public static byte[] encodePng(RgbImage image) {
    try (Mat mat = toMat(image);
        IntPointer params = new IntPointer(IMWRITE_PNG_COMPRESSION, 1)) {
      cvtColor(mat, mat, COLOR_RGB2BGR);
      return encode(".png", mat, params);
    }
  }

  /**
   * Decodes an encoded image by its content (JPEG, PNG and whatever else OpenCV reads): grey images
   * become RGB, alpha is dropped.
   *
   * @throws ImageDecodeException when the bytes are not a decodable image
   */
  public static RgbImage decode(byte[] encoded) {
    return decode(encoded, 1);
  }

  /**
   * Decodes at 1/{@code reduction} of the size in each direction (rounded up): a JPEG decoder
   * then skips most of its work (the inverse DCT at 1/2, 1/4, 1/8), which pays when the frame is
   * much larger than what is done with it.
   *
   * @param reduction 1, 2, 4 or 8
   */
  public static RgbImage decode(byte[] encoded, int reduction) {
    int flags = switch (reduction) {
      case 1 -> IMREAD_COLOR;
      case 2 -> IMREAD_REDUCED_COLOR_2;
      case 4 -> IMREAD_REDUCED_COLOR_4;
      case 8 -> IMREAD_REDUCED_COLOR_8;
      default -> throw new IllegalArgumentException("a decode reduction is 1, 2, 4 or 8, got " + reduction);
    };
    try (Mat bgr = decodeMat(encoded, flags)) {
      try (Mat rgb = new Mat()) {
        cvtColor(bgr, rgb, COLOR_BGR2RGB);
        return new RgbImage(rgb.cols(), rgb.rows(), bytesOf(rgb, 3L * rgb.cols() * rgb.rows()));
      }
    }
  }

  /** An 8-bit grey PNG whose pixel values are the class indices. */
  public static byte[] encodePngGray(LabelMap labels) {
    // label maps are long runs of few values: zlib's run-length strategy at the fastest level is
    // several times quicker than the default and nearly as small
    try (BytePointer data = new BytePointer(labels.labels());
        Mat mat = new Mat(labels.height(), labels.width(), CV_8UC1, data);
        IntPointer params = new IntPointer(IMWRITE_PNG_COMPRESSION, 1, IMWRITE_PNG_STRATEGY, IMWRITE_PNG_STRATEGY_RLE,
            IMWRITE_PNG_FILTER, IMWRITE_PNG_FILTER_NONE)) {
      return encode(".png", mat, params);
    }
  }

  /**
   * Reads back an 8-bit single-channel image (as {@link #encodePngGray} writes) as a label map.
   *
   * @throws ImageDecodeException when the bytes are not a decodable image or not 8-bit grey
   */
  public static LabelMap decodePngGray(byte[] encoded) {
    try (Mat mat = decodeMat(encoded, IMREAD_UNCHANGED)) {
      if (mat.type() != CV_8UC1) {
        throw new ImageDecodeException(
            "expected an 8-bit single-channel label map, got " + mat.channels() + " channel(s) of depth " + mat.depth()
                + " (OpenCV type " + mat.type() + ")");
      }
      return new LabelMap(mat.cols(), mat.rows(), bytesOf(mat, (long) mat.cols() * mat.rows()));
    }
  }

  /** Stretches the image to {@code width × height} with bilinear interpolation (OpenCV INTER_LINEAR). */
  public static RgbImage resizeBilinear(RgbImage image, int width, int height) {
    return resized(image, width, height, INTER_LINEAR);
  }

  /**
   * Shrinks the image to {@code width × height} averaging over source pixels (OpenCV INTER_AREA), which
   * does not alias as bilinear does when the scale falls below one half. Used for downscaling frames.
   */
  public static RgbImage downscale(RgbImage image, int width, int height) {
    return resized(image, width, height, INTER_AREA);
  }

  /** Copies a packed 8-bit, 3-channel RGB frame (FFmpeg {@code AV_PIX_FMT_RGB24}) out of JavaCV's buffer. */
  public static RgbImage fromRgb24Frame(Frame frame) {
    checkPacked3(frame);
    int w = frame.imageWidth;
    int h = frame.imageHeight;
    int row = 3 * w;
    byte[] rgb = new byte[row * h];
    ByteBuffer buffer = ((ByteBuffer) frame.image[0]).duplicate();
    if (frame.imageStride == row) {
      buffer.position(0);
      buffer.get(rgb);
    } else {
      for (int y = 0; y < h; y++) {
        buffer.position(y * frame.imageStride);
        buffer.get(rgb, y * row, row);
      }
    }
    return new RgbImage(w, h, rgb);
  }

  /** Converts a packed 8-bit BGR frame (FFmpeg {@code AV_PIX_FMT_BGR24}, JavaCV's default) to RGB. */
  public static RgbImage fromBgr24Frame(Frame frame) {
    checkPacked3(frame);
    ByteBuffer buffer = (ByteBuffer) frame.image[0];
    try (BytePointer data = new BytePointer(buffer);
        Mat bgr = new Mat(frame.imageHeight, frame.imageWidth, CV_8UC3, data, frame.imageStride);
        Mat rgb = new Mat()) {
      cvtColor(bgr, rgb, COLOR_BGR2RGB);
      return new RgbImage(frame.imageWidth, frame.imageHeight, bytesOf(rgb, 3L * frame.imageWidth * frame.imageHeight));
    }
  }

  private static RgbImage resized(RgbImage image, int width, int height, int interpolation) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
    }
    if (width == image.width() && height == image.height()) {
      return image;
    }
    try (Mat src = toMat(image);
        Mat dst = new Mat(height, width, CV_8UC3);
        Size size = new Size(width, height)) {
      resize(src, dst, size, 0, 0, interpolation);
      return new RgbImage(width, height, bytesOf(dst, 3L * width * height));
    }
  }

  private static void checkPacked3(Frame frame) {
    // JavaCV derives imageChannels from the padded stride, so it can read 4 for RGB24: trust the stride only
    if (frame.image == null || frame.imageDepth != Frame.DEPTH_UBYTE || frame.imageStride < 3 * frame.imageWidth) {
      throw new IllegalArgumentException(
          "expected a packed 8-bit 3-channel image frame, got a " + frame.imageWidth + " px wide frame with stride "
              + frame.imageStride + " and depth "
              + frame.imageDepth);
    }
  }

  /** A continuous CV_8UC3 Mat holding a copy of the image's bytes (still in RGB order). */
  private static Mat toMat(RgbImage image) {
    Mat mat = new Mat(image.height(), image.width(), CV_8UC3);
    mat.data().put(image.rgb());
    return mat;
  }

  private static Mat decodeMat(byte[] encoded, int flags) {
    if (encoded == null || encoded.length == 0) {
      throw new ImageDecodeException("cannot decode an image from empty bytes");
    }
    try (BytePointer data = new BytePointer(encoded);
        Mat buffer = new Mat(1, encoded.length, CV_8UC1, data)) {
      Mat mat = imdecode(buffer, flags);
      if (mat == null || mat.empty()) {
        if (mat != null) {
          mat.close();
        }
        throw new ImageDecodeException(
            "cannot decode " + encoded.length + " bytes starting " + hexPrefix(encoded) + " as an image (JPEG, PNG...)");
      }
      return mat;
    }
  }

  private static byte[] encode(String extension, Mat mat, IntPointer params) {
    try (BytePointer out = new BytePointer()) {
      boolean ok = params == null ? imencode(extension, mat, out) : imencode(extension, mat, out, params);
      if (!ok) {
        throw new IllegalStateException("OpenCV imencode(" + extension + ") failed for a " + mat.cols() + "x" + mat.rows() + " image");
      }
      byte[] bytes = new byte[(int) out.limit()];
      out.get(bytes);
      return bytes;
    }
  }

  private static byte[] bytesOf(Mat mat, long size) {
    if (!mat.isContinuous()) {
      throw new IllegalStateException("expected a continuous Mat");
    }
    byte[] bytes = new byte[Math.toIntExact(size)];
    mat.data().get(bytes);
    return bytes;
  }

  private static String hexPrefix(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(4, bytes.length); i++) {
      sb.append(String.format("%02X", bytes[i] & 0xff));
    }
    return sb.toString();
  }
}
