package org.segstream.train.augment;

import java.util.SplittableRandom;
import org.segstream.image.ImageCodec;
import org.segstream.image.RgbImage;

/**
 * Generated backgrounds with nothing pet-like in them: smooth colour noise (random colours on a
 * coarse grid, bilinearly upsampled), linear gradients between two colours and stripes at a random
 * angle and period. Each is a pure function of the random source.
 */
public final class Textures {
  private Textures() {}

  /** One of the three kinds, chosen by {@code random}, at {@code width × height}. */
  public static RgbImage draw(int width, int height, SplittableRandom random) {
    return switch (random.nextInt(3)) {
      case 0 -> noise(width, height, random);
      case 1 -> gradient(width, height, random);
      default -> stripes(width, height, random);
    };
  }

  /** Random colours on a grid of 2–16 cells across, upsampled bilinearly: blotches from fine to coarse. */
  static RgbImage noise(int width, int height, SplittableRandom random) {
    int cells = 2 + random.nextInt(15);
    int gw = Math.max(1, Math.min(width, cells));
    int gh = Math.max(1, Math.min(height, (int) Math.round((double) cells * height / width)));
    byte[] grid = new byte[3 * gw * gh];
    for (int i = 0; i < grid.length; i++) {
      grid[i] = (byte) random.nextInt(256);
    }
    return ImageCodec.resizeBilinear(new RgbImage(gw, gh, grid), width, height);
  }

  static RgbImage gradient(int width, int height, SplittableRandom random) {
    int[] a = colour(random);
    int[] b = colour(random);
    double angle = random.nextDouble() * 2 * Math.PI;
    double dx = Math.cos(angle);
    double dy = Math.sin(angle);
    double span = Math.abs(dx) * width + Math.abs(dy) * height;
    double origin = Math.min(0, dx * width) + Math.min(0, dy * height);
    byte[] rgb = new byte[3 * width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double t = (x * dx + y * dy - origin) / span;
        put(rgb, y * width + x, a, b, t);
      }
    }
    return new RgbImage(width, height, rgb);
  }

  /** Stripes of a period 4–40 % of the frame's short side, hard or soft-edged. */
  static RgbImage stripes(int width, int height, SplittableRandom random) {
    int[] a = colour(random);
    int[] b = colour(random);
    double angle = random.nextDouble() * Math.PI;
    double period = Math.max(2, Math.min(width, height) * (0.04 + 0.36 * random.nextDouble()));
    boolean soft = random.nextBoolean();
    double dx = Math.cos(angle);
    double dy = Math.sin(angle);
    byte[] rgb = new byte[3 * width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double phase = (x * dx + y * dy) / period;
        double t = soft ? 0.5 + 0.5 * Math.sin(2 * Math.PI * phase) : (Math.floorMod((long) Math.floor(phase), 2));
        put(rgb, y * width + x, a, b, t);
      }
    }
    return new RgbImage(width, height, rgb);
  }

  private static int[] colour(SplittableRandom random) {
    return new int[] {random.nextInt(256), random.nextInt(256), random.nextInt(256)};
  }

  private static void put(byte[] rgb, int pixel, int[] a, int[] b, double t) {
    for (int c = 0; c < 3; c++) {
      rgb[3 * pixel + c] = (byte) Math.round(a[c] + (b[c] - a[c]) * t);
    }
  }
}
