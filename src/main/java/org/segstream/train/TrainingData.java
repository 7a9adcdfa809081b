package org.segstream.train;

import java.util.List;
import org.segstream.dataset.Example;
import org.segstream.dataset.GroundTruthFormat;
import org.segstream.dataset.Pair;
import org.segstream.model.InputGeometry;

/**
 * Where the trainer's examples come from. Examples arrive at the size asked for (any size: a batch's
 * size under {@link TrainGeometry}), so the trainer never resizes; a reader of real images crops and
 * resizes them (bilinear, as the processor does).
 */
public interface TrainingData {
  /** Written to {@code trainedOn.dataset}, e.g. "synthetic". */
  String dataset();

  List<String> classNames();

  int backgroundClass();

  /** The seed that chose the validation examples. */
  long splitSeed();

  /** Distinct training pairs available; 0 for an endless generator (the trainer then counts what it drew). */
  int pairCount();

  /**
   * Positions the training stream so the next example is the one a fresh stream would give as its
   * {@code examplesDrawn}-th (from 0): how a resumed run continues where it stopped.
   */
  default void skipTo(long examplesDrawn) {
    throw new UnsupportedOperationException(dataset() + " data cannot be resumed at example " + examplesDrawn);
  }

  /** The next training example; not thread-safe. */
  Example next(int width, int height);

  /** The held-out examples, the same on every call. */
  List<Example> validation(int width, int height);

  /**
   * The held-out pairs as files, at their own resolution: what the metadata's scores are computed on, as
   * {@code eval} computes them. Empty for generated data (scored at the input size instead).
   */
  default List<Pair> validationPairs() {
    return List.of();
  }

  /** How the masks of {@link #validationPairs} encode the classes. */
  default GroundTruthFormat maskFormat() {
    return GroundTruthFormat.INDEX;
  }

  /**
   * The held-out examples, each at the size {@code geometry} gives its frame (so aspect-true
   * examples differ in size); the same on every call.
   */
  default List<Example> validation(InputGeometry geometry) {
    if (geometry.keepsAspect()) {
      throw new UnsupportedOperationException(dataset() + " data has no aspect-true validation set");
    }
    InputGeometry.Size size = geometry.sizeFor(1, 1);
    return validation(size.width(), size.height());
  }
}
