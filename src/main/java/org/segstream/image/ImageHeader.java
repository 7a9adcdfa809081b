package org.segstream.image;

/**
 * The format and pixel size of an encoded image, read from its header without decoding it, and a
 * check that the file is whole (a JPEG reaches its end-of-image marker, a PNG its IEND chunk), so a
 * caller can refuse an image before the decoder allocates for it: OpenCV's only cap is 2^30 pixels,
 * and a few-KB JPEG may declare 30000×30000. Reads JPEG (SOF markers), PNG (IHDR), BMP, GIF and
 * WebP (VP8, VP8L, VP8X); anything else is refused.
 *
 * @param width  pixels, as the header declares them (≥ 1)
 * @param height pixels, as the header declares them (≥ 1)
 */
public record ImageHeader(Format format, int width, int height) {

  /** The formats whose headers are read. */
  public enum Format {
    JPEG,
    PNG,
    BMP,
    GIF,
    WEBP
  }

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  public long pixels() {
    return (long) width * height;
  }

  /**
   * Reads the header of {@code data}.
   *
   * @throws ImageDecodeException when the bytes are not one of the formats above, the header is cut off
   *     or declares a size below 1 pixel, or the file is truncated
   */
  public static ImageHeader read(byte[] data) {
    if (data == null || data.length == 0) {
      throw new ImageDecodeException("no image: 0 bytes");
    }
    if (startsWith(data, 0, 0xFF, 0xD8, 0xFF)) {
      return jpeg(data);
    }
    if (startsWith(data, 0, PNG_SIGNATURE)) {
      return png(data);
    }
    if (startsWith(data, 0, 'B', 'M')) {
      return bmp(data);
    }
    if (startsWith(data, 0, 'G', 'I', 'F', '8')) {
      return gif(data);
    }
    if (startsWith(data, 0, 'R', 'I', 'F', 'F') && startsWith(data, 8, 'W', 'E', 'B', 'P')) {
      return webp(data);
    }
    throw new ImageDecodeException(
        "not a JPEG, PNG, BMP, GIF or WebP image: " + data.length + " bytes starting " + hex(data, 0, 8));
  }

  /** The size from the first SOF marker; then the entropy-coded data must reach an EOI marker. */
  private static ImageHeader jpeg(byte[] d) {
    int pos = 2;
    while (true) {
      // a marker: one or more 0xFF fill bytes, then the marker code
      if (pos >= d.length || (d[pos] & 0xff) != 0xFF) {
        throw truncatedOrCorrupt("JPEG", d, pos, "expected a marker");
      }
      while (pos < d.length && (d[pos] & 0xff) == 0xFF) {
        pos++;
      }
      if (pos >= d.length) {
        throw truncatedOrCorrupt("JPEG", d, pos, "cut off inside a marker");
      }
      int marker = d[pos++] & 0xff;
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        continue; // standalone markers without a length
      }
      if (marker == 0xD9 || marker == 0xDA) {
        throw new ImageDecodeException(
            "JPEG without a frame header (SOF): reached marker FF" + hex(marker) + " at byte " + (pos - 2));
      }
      if (pos + 2 > d.length) {
        throw truncatedOrCorrupt("JPEG", d, pos, "cut off inside the length of marker FF" + hex(marker));
      }
      int length = u16be(d, pos);
      if (length < 2 || pos + length > d.length) {
        throw truncatedOrCorrupt(
            "JPEG", d, pos, "marker FF" + hex(marker) + " declares " + length + " bytes, " + (d.length - pos) + " left");
      }
      boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (sof) {
        if (length < 8) {
          throw truncatedOrCorrupt("JPEG", d, pos, "frame header of " + length + " bytes");
        }
        int height = u16be(d, pos + 3);
        int width = u16be(d, pos + 5);
        requirePositive("JPEG", width, height);
        requireEndOfImage(d, pos + length);
        return new ImageHeader(Format.JPEG, width, height);
      }
      pos += length;
    }
  }

  /** A JPEG's scan data runs to FF D9 (inside it, FF is followed by 00 or a restart marker). */
  private static void requireEndOfImage(byte[] d, int from) {
    for (int i = d.length - 2; i >= from; i--) {
      if ((d[i] & 0xff) == 0xFF && (d[i + 1] & 0xff) == 0xD9) {
        return;
      }
    }
    throw new ImageDecodeException(
        "truncated JPEG: " + d.length + " bytes without an end-of-image marker (FF D9); it ends " + hex(d, Math.max(0, d.length - 4), 4));
  }

  /** IHDR first; then every chunk must fit, up to IEND. */
  private static ImageHeader png(byte[] d) {
    int pos = PNG_SIGNATURE.length;
    if (pos + 8 + 13 > d.length || !startsWith(d, pos + 4, 'I', 'H', 'D', 'R')) {
      throw truncatedOrCorrupt("PNG", d, pos, "no IHDR chunk after the signature");
    }
    long width = u32be(d, pos + 8);
    long height = u32be(d, pos + 12);
    if (width < 1 || height < 1 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
      throw new ImageDecodeException("PNG header declares " + width + "x" + height + " pixels");
    }
    while (true) {
      if (pos + 8 > d.length) {
        throw new ImageDecodeException("truncated PNG: " + d.length + " bytes, cut off at byte " + pos + " before IEND");
      }
      long length = u32be(d, pos);
      boolean end = startsWith(d, pos + 4, 'I', 'E', 'N', 'D');
      long next = pos + 12 + length; // length, type, data, CRC
      if (next > d.length) {
        throw new ImageDecodeException(
            "truncated PNG: chunk " + ascii(d, pos + 4, 4) + " at byte " + pos + " declares " + length + " bytes, "
                + (d.length - pos - 12) + " left");
      }
      if (end) {
        return new ImageHeader(Format.PNG, (int) width, (int) height);
      }
      pos = (int) next;
    }
  }

  private static ImageHeader bmp(byte[] d) {
    if (d.length < 26) {
      throw truncatedOrCorrupt("BMP", d, d.length, "header cut off");
    }
    long dataOffset = u32le(d, 10);
    int infoSize = (int) Math.min(Integer.MAX_VALUE, u32le(d, 14));
    long width;
    long height;
    if (infoSize == 12) {
      width = u16le(d, 18);
      height = u16le(d, 20);
    } else if (infoSize >= 40 && d.length >= 26) {
      width = (int) u32le(d, 18);
      height = Math.abs((long) (int) u32le(d, 22)); // negative: rows stored top-down
    } else {
      throw truncatedOrCorrupt("BMP", d, 14, "info header of " + infoSize + " bytes");
    }
    if (width < 1 || height < 1 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
      throw new ImageDecodeException("BMP header declares " + width + "x" + height + " pixels");
    }
    if (dataOffset > d.length) {
      throw new ImageDecodeException("truncated BMP: pixel data at byte " + dataOffset + ", file of " + d.length + " bytes");
    }
    return new ImageHeader(Format.BMP, (int) width, (int) height);
  }

  /** The logical screen size (every frame is drawn inside it). */
  private static ImageHeader gif(byte[] d) {
    if (d.length < 10) {
      throw truncatedOrCorrupt("GIF", d, d.length, "header cut off");
    }
    int width = u16le(d, 6);
    int height = u16le(d, 8);
    requirePositive("GIF", width, height);
    return new ImageHeader(Format.GIF, width, height);
  }

  private static ImageHeader webp(byte[] d) {
    long riffSize = u32le(d, 4);
    if (riffSize + 8 > d.length) {
      throw new ImageDecodeException("truncated WebP: RIFF declares " + (riffSize + 8) + " bytes, file of " + d.length);
    }
    if (d.length < 30) {
      throw truncatedOrCorrupt("WebP", d, d.length, "header cut off");
    }
    int width;
    int height;
    if (startsWith(d, 12, 'V', 'P', '8', 'X')) {
      width = 1 + (u16le(d, 24) | (d[26] & 0xff) << 16);
      height = 1 + (u16le(d, 27) | (d[29] & 0xff) << 16);
    } else if (startsWith(d, 12, 'V', 'P', '8', 'L')) {
      long bits = u32le(d, 21);
      width = 1 + (int) (bits & 0x3FFF);
      height = 1 + (int) ((bits >>> 14) & 0x3FFF);
    } else if (startsWith(d, 12, 'V', 'P', '8', ' ')) {
      width = u16le(d, 26) & 0x3FFF;
      height = u16le(d, 28) & 0x3FFF;
    } else {
      throw truncatedOrCorrupt("WebP", d, 12, "unknown chunk " + ascii(d, 12, 4));
    }
    requirePositive("WebP", width, height);
    return new ImageHeader(Format.WEBP, width, height);
  }

  private static void requirePositive(String format, int width, int height) {
    if (width < 1 || height < 1) {
      throw new ImageDecodeException(format + " header declares " + width + "x" + height + " pixels");
    }
  }

  private static ImageDecodeException truncatedOrCorrupt(String format, byte[] d, int pos, String what) {
    return new ImageDecodeException(
        "truncated or corrupt " + format + " (" + d.length + " bytes): " + what + " at byte " + pos);
  }

  private static boolean startsWith(byte[] d, int at, int... expected) {
    if (at + expected.length > d.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if ((d[at + i] & 0xff) != (expected[i] & 0xff)) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(byte[] d, int at, byte[] expected) {
    if (at + expected.length > d.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (d[at + i] != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private static int u16be(byte[] d, int at) {
    return (d[at] & 0xff) << 8 | (d[at + 1] & 0xff);
  }

  private static int u16le(byte[] d, int at) {
    return (d[at] & 0xff) | (d[at + 1] & 0xff) << 8;
  }

  private static long u32be(byte[] d, int at) {
    return (long) u16be(d, at) << 16 | u16be(d, at + 2);
  }

  private static long u32le(byte[] d, int at) {
    return u16le(d, at) | (long) u16le(d, at + 2) << 16;
  }

  private static String hex(int b) {
    return String.format("%02X", b);
  }

  private static String hex(byte[] d, int from, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < Math.min(d.length, from + n); i++) {
      sb.append(sb.length() == 0 ? "" : " ").append(hex(d[i] & 0xff));
    }
    return sb.toString();
  }

  private static String ascii(byte[] d, int from, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < Math.min(d.length, from + n); i++) {
      int c = d[i] & 0xff;
      sb.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
    }
    return sb.toString();
  }
}
