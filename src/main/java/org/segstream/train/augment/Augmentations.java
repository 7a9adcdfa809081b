package org.segstream.train.augment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.segstream.config.InvalidSettingException;

/**
 * Which augmentations run on top of {@code basic} (flip, zoom-in crop 0.6–1.0, colour jitter), so
 * the ideas can be compared one at a time at an equal training budget.
 *
 * @param zoomOut half the examples shrunk to 0.35–1.0 of the frame's side, the rest of the frame a background
 * @param paste half the examples keep only the pet (trimap pet + border) on a background from {@link BackgroundPool}
 * @param camera motion blur, JPEG compression and sensor noise, each on half the examples
 */
public record Augmentations(boolean zoomOut, boolean paste, boolean camera) {
  public static final Augmentations BASIC = new Augmentations(false, false, false);
  public static final Augmentations ALL = new Augmentations(true, true, true);
  /** The names {@link #parse} takes, in the order {@link #id} writes them. */
  public static final List<String> NAMES = List.of("basic", "zoom-out", "paste", "camera", "all");

  /** A comma list of {@link #NAMES}; {@code basic} is always included. */
  public static Augmentations parse(String text) {
    boolean zoomOut = false;
    boolean paste = false;
    boolean camera = false;
    for (String part : text.split(",")) {
      switch (part.strip().toLowerCase(Locale.ROOT)) {
        case "basic" -> { }
        case "zoom-out" -> zoomOut = true;
        case "paste" -> paste = true;
        case "camera" -> camera = true;
        case "all" -> {
          zoomOut = true;
          paste = true;
          camera = true;
        }
        default -> throw new InvalidSettingException("augmentations", "unknown augmentation '" + part.strip()
            + "' in '" + text + "': use a comma list of " + String.join(", ", NAMES));
      }
    }
    return new Augmentations(zoomOut, paste, camera);
  }

  /** True when an augmentation needs backgrounds to fill the frame with. */
  public boolean needsBackgrounds() {
    return zoomOut || paste;
  }

  /** The canonical comma list, e.g. {@code basic,zoom-out,camera}. */
  public String id() {
    List<String> names = new ArrayList<>(List.of("basic"));
    if (zoomOut) {
      names.add("zoom-out");
    }
    if (paste) {
      names.add("paste");
    }
    if (camera) {
      names.add("camera");
    }
    return String.join(",", names);
  }

  @Override
  public String toString() {
    return id();
  }
}
