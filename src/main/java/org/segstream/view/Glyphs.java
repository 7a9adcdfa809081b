package org.segstream.view;

import org.segstream.image.RgbImage;

/** A 5×7 bitmap font of the characters instance labels use (digits and {@code #}); others draw as blanks. */
final class Glyphs {
  static final int WIDTH = 5;
  static final int HEIGHT = 7;
  private static final String CHARS = "0123456789#";
  /** Per character, 7 rows of 5 pixels, {@code X} = ink. */
  private static final String[] ROWS = {
    " XXX X   XX  XXX X XXX  XX   X XXX ", // 0
    "  X   XX    X    X    X    X   XXX ", // 1
    " XXX X   X    X   X   X   X   XXXXX", // 2
    "XXXXX   X   X     X     XX   X XXX ", // 3
    "   X   XX  X X X  X XXXXX   X    X ", // 4
    "XXXXXX    XXXX     X    XX   X XXX ", // 5
    "  XX  X   X    XXXX X   XX   X XXX ", // 6
    "XXXXX    X   X   X   X    X    X   ", // 7
    " XXX X   XX   X XXX X   XX   X XXX ", // 8
    " XXX X   XX   X XXXX    X   X  XX  ", // 9
    " X X  X X XXXXX X X XXXXX X X  X X ", // #
  };

  private Glyphs() {}

  /** Draws {@code text} with its top-left corner at (x, y), each font pixel {@code scale}×{@code scale}. */
  static void draw(RgbImage image, String text, int x, int y, int scale, int[] colour) {
    for (int k = 0; k < text.length(); k++) {
      int g = CHARS.indexOf(text.charAt(k));
      if (g >= 0) {
        String bits = ROWS[g];
        for (int row = 0; row < HEIGHT; row++) {
          for (int col = 0; col < WIDTH; col++) {
            int i = row * WIDTH + col;
            if (i < bits.length() && bits.charAt(i) == 'X') {
              for (int dy = 0; dy < scale; dy++) {
                for (int dx = 0; dx < scale; dx++) {
                  Compositor.set(image, x + (k * (WIDTH + 1) + col) * scale + dx, y + row * scale + dy, colour);
                }
              }
            }
          }
        }
      }
    }
  }
}
