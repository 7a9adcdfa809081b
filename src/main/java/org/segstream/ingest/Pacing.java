package org.segstream.ingest;

import java.util.Locale;
import org.segstream.config.InvalidSettingException;

/** How fast frames are released: the source's own timing, as fast as possible, or a fixed rate. */
public sealed interface Pacing {

  /** Real time from the frames' presentation times (a file plays like a camera). */
  record Native() implements Pacing {
    @Override
    public String toString() {
      return "native";
    }
  }

  /** No waiting: as fast as decode, encode and Kafka allow. */
  record Max() implements Pacing {
    @Override
    public String toString() {
      return "max";
    }
  }

  /** A fixed number of frames per second, whatever the source's timestamps say. */
  record Fixed(double framesPerSecond) implements Pacing {
    public Fixed {
      if (!(framesPerSecond > 0) || Double.isInfinite(framesPerSecond)) {
        throw new IllegalArgumentException("a rate must be a positive number of frames/s, got " + framesPerSecond);
      }
    }

    @Override
    public String toString() {
      return framesPerSecond + " fps";
    }
  }

  static Pacing nativeRate() {
    return new Native();
  }

  static Pacing max() {
    return new Max();
  }

  static Pacing fixed(double framesPerSecond) {
    return new Fixed(framesPerSecond);
  }

  /** {@code native}, {@code max} or a positive number of frames/s (the {@code rate} setting). */
  static Pacing parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    switch (t) {
      case "native":
        return nativeRate();
      case "max":
        return max();
      default:
        try {
          double fps = Double.parseDouble(t);
          if (fps > 0 && !Double.isInfinite(fps)) {
            return fixed(fps);
          }
        } catch (NumberFormatException e) {
          // fall through to the usage error
        }
        throw new InvalidSettingException("rate", "frame rate '" + text + "': give native, max or a positive number of frames/s");
    }
  }
}
