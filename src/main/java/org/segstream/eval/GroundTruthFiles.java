package org.segstream.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import org.segstream.dataset.DatasetException;
import org.segstream.dataset.GroundTruthFormat;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.ingest.ImageSequenceSource;

/**
 * A directory of numbered ground-truth masks, indexed by the sequence number of the frame each belongs to:
 * sequence = the number in the file name − the number of frame 0's file ({@code 00000.png} → 0 in DAVIS).
 * Files without a number, below frame 0, or repeating a number are kept aside as unmatched.
 */
public record GroundTruthFiles(Path directory, long firstNumber, SortedMap<Long, Path> bySequence, List<Path> unmatched) {

  public GroundTruthFiles {
    bySequence = Collections.unmodifiableSortedMap(new TreeMap<>(bySequence));
    unmatched = List.copyOf(unmatched);
  }

  /**
   * @throws DatasetException when the directory does not exist or holds no images
   */
  public static GroundTruthFiles index(Path directory, long firstNumber) {
    if (!Files.isDirectory(directory)) {
      throw new DatasetException(directory, "the ground truth " + directory + " is not a directory: give the directory of numbered masks "
          + "(e.g. Annotations/480p/<sequence>)");
    }
    SortedMap<Long, Path> bySequence = new TreeMap<>();
    List<Path> unmatched = new ArrayList<>();
    List<Path> files = ImageSequenceSource.listImages(directory);
    if (files.isEmpty()) {
      throw new DatasetException(directory, "the ground truth " + directory + " holds no mask images (PNG)");
    }
    for (Path file : files) {
      OptionalLong number = ImageSequenceSource.frameNumber(file);
      if (number.isEmpty() || number.getAsLong() < firstNumber || bySequence.containsKey(number.getAsLong() - firstNumber)) {
        unmatched.add(file);
      } else {
        bySequence.put(number.getAsLong() - firstNumber, file);
      }
    }
    return new GroundTruthFiles(directory, firstNumber, bySequence, unmatched);
  }

  /** The number in the name of frame 0's file: that of the first frame of a frame directory, else 0. */
  public static long firstNumberOf(List<Path> frames) {
    return frames.isEmpty() ? 0 : ImageSequenceSource.frameNumber(frames.get(0)).orElse(0);
  }

  /**
   * The map of a sequence number as it is stored (8-bit grey: object ids, say), or null when there is none.
   *
   * @throws IllegalArgumentException naming the file when it is not an 8-bit grey PNG
   */
  public LabelMap readRaw(long sequence) {
    Path file = bySequence.get(sequence);
    if (file == null) {
      return null;
    }
    try {
      return ImageCodec.decodePngGray(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the map " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the map " + file + " is not an 8-bit grey PNG of object ids: " + e.getMessage(), e);
    }
  }

  /**
   * The mask of a sequence number as scored labels, or null when there is none.
   *
   * @throws IllegalArgumentException naming the file when it is not a mask of {@code format}
   */
  public LabelMap read(long sequence, GroundTruthFormat format, int modelClasses) {
    Path file = bySequence.get(sequence);
    if (file == null) {
      return null;
    }
    try {
      return format.truth(ImageCodec.decodePngGray(Files.readAllBytes(file)), modelClasses);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the mask " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the mask " + file + " does not fit the ground-truth format " + format.name().toLowerCase()
          + ": " + e.getMessage(), e);
    }
  }
}
