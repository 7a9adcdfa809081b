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
  UNET_XCEPTION("unet-xception", Kind.XCEPTION, 32, 64, 128, 256),
  /**
   * The ImageNet-trained MobileNetV2 1.0 encoder (skips at 1/2, 1/4, 1/8, 1/16; deepest map at 1/32)
   * with a light U-Net decoder: one 3×3 convolution with batch norm per level, logits at 1/2 resized
   * bilinearly to the input. Widths: the decoder at 1/2, 1/4, 1/8, 1/16. The pets-live model up to version 2.
   */
  MOBILENET_V2_UNET("mobilenet-v2-unet", Kind.MOBILENET_V2, 24, 48, 64, 96),
  /**
   * The same encoder and decoder without its level at 1/2, logits at 1/4: that level, its upsampling and a softmax at
   * 1/2 were a fifth of the model's time at 304×176, so a larger input fits the same time. Widths: the decoder at
   * 1/4, 1/8, 1/16. The pets-live model from version 3.
   */
  MOBILENET_V2_UNET_QUARTER("mobilenet-v2-unet-quarter", Kind.MOBILENET_V2, 48, 64, 96),
  /** The same encoder with a decoder twice as wide: the pets-accurate model. */
  MOBILENET_V2_UNET_WIDE("mobilenet-v2-unet-wide", Kind.MOBILENET_V2, 48, 96, 128, 192),
  /**
   * The same encoder cut after block 13 (deepest map at 1/16: blocks 14–17 are a quarter of its
   * multiply-adds) with decoder levels at 1/4 and 1/8 only, logits at 1/4: pets-live 2's cost at a
   * 288-px long side instead of 224, for small subjects in wide frames. Widths: the decoder at 1/4, 1/8.
   */
  MOBILENET_V2_UNET_S16("mobilenet-v2-unet-s16", Kind.MOBILENET_V2_S16, 48, 64);

  private enum Kind {
    PLAIN,
    XCEPTION,
    MOBILENET_V2,
    MOBILENET_V2_S16
  }

  private final String id;
  private final int[] widths;
  private final Kind kind;

  Architecture(String id, int... widths) {
    this(id, Kind.PLAIN, widths);
  }

  Architecture(String id, Kind kind, int... widths) {
    this.id = id;
    this.kind = kind;
    this.widths = widths;
  }

  /** The Xception-style encoder/decoder with residuals instead of the plain U-Net with concatenated skips. */
  public boolean xception() {
    return kind == Kind.XCEPTION;
  }

  /** The pretrained MobileNetV2 encoder with a U-Net decoder. */
  public boolean mobileNetV2() {
    return kind == Kind.MOBILENET_V2 || kind == Kind.MOBILENET_V2_S16;
  }

  /** The MobileNetV2 block whose output is the encoder's deepest map (its stride is {@link #downsampling}). */
  int encoderDeepestBlock() {
    return kind == Kind.MOBILENET_V2_S16 ? 13 : 17;
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
    return switch (kind) {
      case XCEPTION -> 1 << widths.length;
      case MOBILENET_V2 -> 32;
      case MOBILENET_V2_S16 -> 16;
      case PLAIN -> 1 << (widths.length - 1);
    };
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
