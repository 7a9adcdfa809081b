package org.segstream.train;

import java.util.Arrays;
import java.util.List;
import org.segstream.config.UsageException;

/**
 * The U-Nets the trainer can build: channel widths per level, from full resolution down to the
 * bottleneck (1/8, or 1/16 with five widths). Every level has two 3×3 convolutions with batch norm and ReLU; the decoder
 * upsamples bilinearly and concatenates the skip.
 */
public enum Architecture {
  /** ~96k parameters; the fast default, trains in seconds on synthetic scenes. */
  UNET_SMALL("unet-small", 8, 16, 32, 48),
  /** ~380k parameters; slower, for the more accurate pets model. */
  UNET_MEDIUM("unet-medium", 16, 32, 64, 96),
  /**
   * unet-small's cheap full-resolution levels plus a fourth pooling level (bottleneck at 1/16): a
   * wider receptive field for frame-filling pets at little extra cost; the pets-live model.
   */
  UNET_LIVE("unet-live", 8, 16, 32, 64, 96);

  private final String id;
  private final int[] widths;

  Architecture(String id, int... widths) {
    this.id = id;
    this.widths = widths;
  }

  /** The name used on the command line and in {@code segstream-model.json}. */
  public String id() {
    return id;
  }

  /** Channels at full resolution, 1/2, 1/4, ... down to the bottleneck. */
  public int[] widths() {
    return widths.clone();
  }

  /** Height and width are divided by this at the bottleneck. */
  public int downsampling() {
    return 1 << (widths.length - 1);
  }

  public static Architecture parse(String id) {
    return Arrays.stream(values())
        .filter(a -> a.id.equals(id))
        .findFirst()
        .orElseThrow(() -> new UsageException("unknown architecture '" + id + "': choose one of " + ids()));
  }

  public static List<String> ids() {
    return Arrays.stream(values()).map(Architecture::id).toList();
  }
}
