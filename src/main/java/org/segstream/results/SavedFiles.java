package org.segstream.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.SegmentationResult;
import org.segstream.config.InvalidSettingException;

/** What {@code tail} saves: label maps as PNG files, failed records' values as .bin files, under safe names. */
public final class SavedFiles {
  private SavedFiles() {}

  /** {@code <topic>-<partition>-<offset>.bin} of the failed record, the topic made safe for a file name. */
  public static String payloadName(DeadLetter letter) {
    return safeFileName(letter.getTopic()) + "-" + letter.getPartition() + "-" + letter.getOffset() + ".bin";
  }

  /** {@code <stream>-<sequence, 6 digits>.png}, the stream id made safe for a file name. */
  public static String pngName(String streamId, long sequence) {
    return safeFileName(streamId) + "-" + String.format(Locale.ROOT, "%06d", sequence) + ".png";
  }

  private static String safeFileName(String text) {
    String safe = text.replaceAll("[^A-Za-z0-9._-]", "_");
    if (safe.length() > ResultLines.MAX_SHOWN_CHARS) {
      safe = safe.substring(0, ResultLines.MAX_SHOWN_CHARS);
    }
    return safe.isEmpty() || safe.chars().allMatch(c -> c == '.') ? "_" + safe : safe;
  }

  /** Writes the result's label map PNG (as published) into the directory; returns the file. */
  public static Path saveLabelMap(Path dir, SegmentationResult result, boolean overwrite) {
    Path file = dir.resolve(pngName(result.getStreamId(), result.getSequence()));
    writeFile(file, ResultLines.bytes(result.getLabelMapPng()), overwrite);
    return file;
  }

  /** Writes the dead letter's failed value into the directory; returns the file. */
  public static Path savePayload(Path dir, DeadLetter letter, byte[] payload, boolean overwrite) {
    Path file = dir.resolve(payloadName(letter));
    writeFile(file, payload, overwrite);
    return file;
  }

  /**
   * Writes the file; one that exists is replaced only with {@code overwrite}.
   *
   * @throws InvalidSettingException (setting {@code overwrite}) when the file exists and {@code overwrite} is false
   */
  static void writeFile(Path file, byte[] bytes, boolean overwrite) {
    try {
      if (overwrite) {
        Files.write(file, bytes);
      } else {
        Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      }
    } catch (FileAlreadyExistsException e) {
      throw new InvalidSettingException("overwrite", file + " exists: allow overwriting to replace it, or save into an"
          + " empty directory");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
