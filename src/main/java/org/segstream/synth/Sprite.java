package org.segstream.synth;

/**
 * One shape with its texture and two colours, sized in pixels (semi-axes sx, sy before rotation). Drawn at
 * any centre and angle; the texture lives in the sprite's own frame so it moves and turns with it.
 */
record Sprite(Outline outline, Texture texture, int[] colourA, int[] colourB, double sx, double sy) {

  /** Radius in pixels of a disc around the centre that holds every pixel of the sprite. */
  double radius() {
    return outline.extent() * Math.max(sx, sy);
  }

  /**
   * Paints the sprite into interleaved RGB; where {@code owner} is non-null, its pixels are set to {@code id}
   * (the last sprite drawn over a pixel owns it).
   */
  void draw(byte[] rgb, byte[] owner, int width, int height, double cx, double cy, double angle, int id) {
    double r = radius() + 1;
    int x0 = Math.max(0, (int) Math.floor(cx - r));
    int x1 = Math.min(width - 1, (int) Math.ceil(cx + r));
    int y0 = Math.max(0, (int) Math.floor(cy - r));
    int y1 = Math.min(height - 1, (int) Math.ceil(cy + r));
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    double invSx = 1 / sx;
    double invSy = 1 / sy;
    int ar = colourA[0];
    int ag = colourA[1];
    int ab = colourA[2];
    int dr = colourB[0] - ar;
    int dg = colourB[1] - ag;
    int db = colourB[2] - ab;
    for (int y = y0; y <= y1; y++) {
      double dy = y + 0.5 - cy;
      for (int x = x0; x <= x1; x++) {
        double dx = x + 0.5 - cx;
        double u = dx * cos + dy * sin;
        double v = -dx * sin + dy * cos;
        if (!outline.contains(u * invSx, v * invSy)) {
          continue;
        }
        double t = texture.mix(u, v);
        int i = y * width + x;
        rgb[3 * i] = (byte) (ar + (int) (t * dr));
        rgb[3 * i + 1] = (byte) (ag + (int) (t * dg));
        rgb[3 * i + 2] = (byte) (ab + (int) (t * db));
        if (owner != null) {
          owner[i] = (byte) id;
        }
      }
    }
  }
}
