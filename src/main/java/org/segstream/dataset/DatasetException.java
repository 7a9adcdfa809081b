package org.segstream.dataset;

import java.nio.file.Path;

/**
 * A dataset that cannot be used as given: a folder that is not one of the known layouts, a classes file that names
 * too few classes, no pair with both an image and a mask, a split that leaves one side empty. The message names the
 * folder or file and says what would work.
 */
public final class DatasetException extends RuntimeException {
  private final Path location;

  /**
   * @param location the dataset folder or file at fault
   */
  public DatasetException(Path location, String message) {
    super(message);
    this.location = location;
  }

  /** The dataset folder or file at fault. */
  public Path location() {
    return location;
  }
}
