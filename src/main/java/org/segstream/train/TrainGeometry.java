package org.segstream.train;

import java.util.ArrayList;
import java.util.List;
import org.segstream.model.InputGeometry;
import org.segstream.model.ModelMetadata;

/**
 * The sizes of the training batches. Stretched: every batch at the fixed input size. Aspect-true:
 * each batch at the size {@link InputGeometry} gives one of the {@link #COMMON_ASPECTS}, chosen from
 * the seed and the step (so a resumed run draws the sizes the interrupted one would have), and the
 * model's nominal size (metadata {@code inputWidth × inputHeight}, {@code bench}) is a 16:9 frame's.
 */
public final class TrainGeometry {
  /**
   * Frame aspects (width, height) an aspect-true batch is drawn from, uniformly: 16:9 video, 4:3
   * cameras and photos, square, and the two portrait ones of phones held upright.
   */
  public static final List<int[]> COMMON_ASPECTS = List.of(new int[] {16, 9}, new int[] {4, 3}, new int[] {1, 1},
      new int[] {3, 4}, new int[] {9, 16});
  private static final long SALT = 0x6e0_5eedL;

  private final InputGeometry geometry;
  private final ModelMetadata.AspectTrueInput aspectTrue;
  private final List<InputGeometry.Size> sizes;
  private final long seed;

  private TrainGeometry(InputGeometry geometry, ModelMetadata.AspectTrueInput aspectTrue,
      List<InputGeometry.Size> sizes, long seed) {
    this.geometry = geometry;
    this.aspectTrue = aspectTrue;
    this.sizes = List.copyOf(sizes);
    this.seed = seed;
  }

  static TrainGeometry of(TrainSettings settings) {
    ModelMetadata.AspectTrueInput rule = settings.aspectTrueInput();
    if (rule == null) {
      InputGeometry.Size fixed = new InputGeometry.Size(settings.inputWidth(), settings.inputHeight());
      return new TrainGeometry(InputGeometry.stretched(fixed.width(), fixed.height()), null, List.of(fixed),
          settings.seed());
    }
    InputGeometry geometry = InputGeometry.aspectTrue(rule.longSide(), rule.multiple());
    List<InputGeometry.Size> sizes = new ArrayList<>();
    for (int[] aspect : COMMON_ASPECTS) {
      sizes.add(geometry.sizeFor(aspect[0], aspect[1]));
    }
    return new TrainGeometry(geometry, rule, sizes, settings.seed());
  }

  /** The nominal input size of an aspect-true model: a 16:9 frame's. */
  public static InputGeometry.Size nominal(ModelMetadata.AspectTrueInput rule) {
    return InputGeometry.aspectTrue(rule.longSide(), rule.multiple()).sizeFor(16, 9);
  }

  InputGeometry inputGeometry() {
    return geometry;
  }

  /** The metadata's aspect-true rule, null when training stretched. */
  ModelMetadata.AspectTrueInput aspectTrueInput() {
    return aspectTrue;
  }

  /** The sizes batches are drawn from, one per common aspect (stretched: the one size). */
  List<InputGeometry.Size> sizes() {
    return sizes;
  }

  /** The size of the batch of step {@code step} (from 0); calibration batches continue the count. */
  InputGeometry.Size sizeOfStep(long step) {
    if (sizes.size() == 1) {
      return sizes.get(0);
    }
    return sizes.get((int) Math.floorMod(PairSampler.mix(seed ^ SALT, step), (long) sizes.size()));
  }
}
