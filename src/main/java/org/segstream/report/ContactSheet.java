package org.segstream.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.segstream.image.ImageCodec;
import org.segstream.image.RgbImage;

/**
 * A grid of pictures with a caption per row and a title per column (e.g. input | truth | prediction | refined),
 * every tile scaled to one width, written as PNG. Drawn off-screen (headless AWT).
 */
public final class ContactSheet {
  private static final int CAPTION = 22;

  /** One row: its caption and its tiles, left to right (a null tile stays blank). */
  public record Row(String caption, List<RgbImage> tiles) {}

  private ContactSheet() {}

  public static Path write(Path file, List<String> columnTitles, List<Row> rows, int tileWidth) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("a contact sheet needs at least one row");
    }
    int columns = columnTitles.size();
    int[] rowHeights = new int[rows.size()];
    int height = CAPTION;
    for (int r = 0; r < rows.size(); r++) {
      // each row keeps the aspect ratio of its first picture (images of a set differ in size)
      RgbImage sample = rows.get(r).tiles().stream().filter(t -> t != null).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("every contact-sheet row needs at least one picture"));
      rowHeights[r] = Math.max(1, Math.round((float) tileWidth * sample.height() / sample.width()));
      height += CAPTION + rowHeights[r];
    }
    int width = columns * tileWidth;
    BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = sheet.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      g.setColor(Color.BLACK);
      for (int c = 0; c < columns; c++) {
        g.drawString(columnTitles.get(c), c * tileWidth + 6, CAPTION - 6);
      }
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      int y = CAPTION;
      for (int r = 0; r < rows.size(); r++) {
        Row row = rows.get(r);
        int tileHeight = rowHeights[r];
        g.setColor(Color.DARK_GRAY);
        g.drawString(row.caption(), 6, y + CAPTION - 6);
        y += CAPTION;
        for (int c = 0; c < Math.min(columns, row.tiles().size()); c++) {
          RgbImage tile = row.tiles().get(c);
          if (tile != null) {
            g.drawImage(toBufferedImage(ImageCodec.resizeBilinear(tile, tileWidth, tileHeight)), c * tileWidth, y, null);
          }
        }
        y += tileHeight;
      }
    } finally {
      g.dispose();
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (!ImageIO.write(sheet, "png", file.toFile())) {
        throw new IllegalStateException("no PNG writer in this JVM's ImageIO");
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the contact sheet " + file + ": " + e.getMessage(), e);
    }
  }

  /** RGB bytes → a BGR BufferedImage (its native layout, so a plain copy with channels swapped). */
  static BufferedImage toBufferedImage(RgbImage image) {
    BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    byte[] src = image.rgb();
    for (int p = 0; p < src.length; p += 3) {
      dst[p] = src[p + 2];
      dst[p + 1] = src[p + 1];
      dst[p + 2] = src[p];
    }
    return out;
  }
}
