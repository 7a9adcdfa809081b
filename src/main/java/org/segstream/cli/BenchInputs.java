package org.segstream.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The inputs of the benchmarks that measure real media. They have no defaults (a default would point into a
 * checkout's neighbours, such as {@code ../shared/data}, that an installed jar does not have): a missing one is a
 * usage error that names the flag, what it wants and the file BENCHMARKS.md measured.
 */
final class BenchInputs {
  /** The clip BENCHMARKS.md's pipeline, scale and soak figures come from. */
  static final String PIPELINE_CLIP = "../shared/data/video/cat.mp4";
  /** The 720p clip of BENCHMARKS.md's ingest figures. */
  static final String INGEST_CLIP = "../shared/data/video/dog.mp4";
  /** The original dense CRF's scenes, labels and timings. */
  static final String CRF_REFERENCE = "../shared/data/crf-reference";

  private BenchInputs() {}

  /** {@code file} as given with {@code flag}: a regular file, or a usage error that says what to give. */
  static Path file(Path file, String flag, String what, String measured) {
    if (file == null) {
      throw new UsageException("no input: give " + flag + " FILE, " + what + " (BENCHMARKS.md measured " + measured + ")");
    }
    if (!Files.isRegularFile(file)) {
      throw new UsageException(flag + " " + file + ": no such file (" + file.toAbsolutePath() + "); give " + flag
          + " FILE, " + what + " (BENCHMARKS.md measured " + measured + ")");
    }
    return file;
  }

  /** {@code dir} as given with {@code flag}: a directory, or a usage error that says what to give. */
  static Path directory(Path dir, String flag, String what, String measured) {
    if (dir == null) {
      throw new UsageException("no input: give " + flag + " DIR, " + what + " (BENCHMARKS.md measured " + measured + ")");
    }
    if (!Files.isDirectory(dir)) {
      throw new UsageException(flag + " " + dir + ": no such directory (" + dir.toAbsolutePath() + "); give " + flag
          + " DIR, " + what + " (BENCHMARKS.md measured " + measured + ")");
    }
    return dir;
  }
}
