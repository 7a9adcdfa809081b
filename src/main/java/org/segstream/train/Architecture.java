package org.segstream.train;

import java.util.Arrays;
import java.util.List;
import org.segstream.config.InvalidSettingException;

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
  UNET_LIVE("unet-live", 8, 16, 32, 64, 96),
  /** Twice unet-live's full-resolution width and a wider bottleneck at 1/16: ~1 M parameters, the accurate pets model. */
  UNET_WIDE("unet-wide", 16, 32, 64, 96, 128),
  /**
   * The Keras "U-Net-like" (Xception-style) pets model: a 32-filter stride-2 stem, down blocks of
   * separable convolutions with strided residuals, up blocks with upsampled residuals, ~2.06 M
   * parameters, ~1 G multiply-adds at 160×160. Widths: stem, then the down blocks.
   */
  UNET_XCEPTION("unet-xception", true, 32, 64, 128, 256);

  private final String id;
  private final int[] widths;
  private final boolean xception;

  Architecture(String id, int... widths) {
    this(id, false, widths);
  }

  Architecture(String id, boolean xception, int... widths) {
    this.id = id;
    this.xception = xception;
    this.widths = widths;
  }

  /** The Xception-style encoder/decoder with residuals instead of the plain U-Net with concatenated skips. */
  public boolean xception() {
    return xception;
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
    return xception ? 1 << widths.length : 1 << (widths.length - 1);
  }

  public static Architecture parse(String id) {
    return Arrays.stream(values())
        .filter(a -> a.id.equals(id))
        .findFirst()
        .orElseThrow(() -> new InvalidSettingException("arch", "unknown architecture '" + id + "': choose one of " + ids()));
  }

  public static List<String> ids() {
    return Arrays.stream(values()).map(Architecture::id).toList();
  }
}
