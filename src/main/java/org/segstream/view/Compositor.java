package org.segstream.view;

import java.nio.ByteBuffer;
import java.util.List;
import org.segstream.avro.Instance;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.VideoFrame;
import org.segstream.image.EncodedImage;
import org.segstream.image.ImageCodec;
import org.segstream.image.ImageEncoding;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;
import org.segstream.kafka.FrameRecords;
import org.segstream.kafka.ResultRecords;
import org.segstream.report.Overlay;

/**
 * Draws a frame with its result, on the server: the mask tinted per class and the contours in white (as the overlay
 * video does), and each instance's box in its class colour with its id above it in a built-in bitmap font (no font
 * files, no AWT). A label map of another size than the frame is left out rather than stretched.
 */
final class Compositor {
  /** The view decodes frames up to this size; the processor refuses larger ones anyway (its default cap). */
  static final long MAX_FRAME_PIXELS = 40_000_000L;
  static final int JPEG_QUALITY = 80;
  private static final int GLYPH_SCALE = 2;

  private Compositor() {}

  static RgbImage compose(VideoFrame frame, SegmentationResult result) {
    RgbImage image = decode(frame);
    ByteBuffer png = result.getLabelMapPng();
    if (result.getEndOfStream() || !png.hasRemaining()) {
      return image;
    }
    LabelMap labels = ResultRecords.labels(result);
    if (labels.width() != image.width() || labels.height() != image.height()) {
      return image;
    }
    RgbImage drawn = Overlay.draw(image, labels, backgroundClass(result.getClassNames()), ResultRecords.contours(result));
    for (Instance instance : result.getInstances()) {
      label(drawn, instance);
    }
    return drawn;
  }

  /** The class named {@code background}, else 0 (the models' convention). */
  static int backgroundClass(List<String> classNames) {
    int i = classNames.indexOf("background");
    return i >= 0 ? i : 0;
  }

  private static RgbImage decode(VideoFrame frame) {
    EncodedImage encoded = FrameRecords.toImage(frame, MAX_FRAME_PIXELS);
    if (encoded.encoding() != ImageEncoding.RAW_BGR) {
      return ImageCodec.decode(encoded.data());
    }
    byte[] bgr = encoded.data();
    byte[] rgb = new byte[bgr.length];
    for (int i = 0; i < bgr.length; i += 3) {
      rgb[i] = bgr[i + 2];
      rgb[i + 1] = bgr[i + 1];
      rgb[i + 2] = bgr[i];
    }
    return new RgbImage(encoded.width(), encoded.height(), rgb);
  }

  private static void label(RgbImage image, Instance instance) {
    int[] colour = Overlay.colourOf(instance.getClassIndex());
    var box = instance.getBox();
    int x0 = box.getX();
    int y0 = box.getY();
    int x1 = x0 + box.getWidth() - 1;
    int y1 = y0 + box.getHeight() - 1;
    for (int x = x0; x <= x1; x++) {
      set(image, x, y0, colour);
      set(image, x, y1, colour);
    }
    for (int y = y0; y <= y1; y++) {
      set(image, x0, y, colour);
      set(image, x1, y, colour);
    }
    String text = "#" + instance.getId();
    int height = Glyphs.HEIGHT * GLYPH_SCALE + 2;
    int top = y0 - height >= 0 ? y0 - height : y0 + 1;
    int width = text.length() * (Glyphs.WIDTH + 1) * GLYPH_SCALE + 2;
    fill(image, x0, top, width, height, colour);
    Glyphs.draw(image, text, x0 + 1, top + 1, GLYPH_SCALE, new int[] {0, 0, 0});
  }

  private static void fill(RgbImage image, int x, int y, int width, int height, int[] colour) {
    for (int yy = y; yy < y + height; yy++) {
      for (int xx = x; xx < x + width; xx++) {
        set(image, xx, yy, colour);
      }
    }
  }

  static void set(RgbImage image, int x, int y, int[] colour) {
    if (x < 0 || y < 0 || x >= image.width() || y >= image.height()) {
      return;
    }
    int p = 3 * (y * image.width() + x);
    image.rgb()[p] = (byte) colour[0];
    image.rgb()[p + 1] = (byte) colour[1];
    image.rgb()[p + 2] = (byte) colour[2];
  }
}
