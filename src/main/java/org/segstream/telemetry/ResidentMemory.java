package org.segstream.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The process's resident set size from {@code /proc/self/status} (Linux): TensorFlow, FFmpeg and
 * OpenCV allocate outside the Java heap, so heap figures alone miss most of a leak.
 */
public final class ResidentMemory {
  private static final Path STATUS = Path.of("/proc/self/status");

  private ResidentMemory() {}

  /** VmRSS in bytes, empty where /proc is absent (not Linux). */
  public static OptionalLong bytes() {
    try {
      return parseVmRss(Files.readAllLines(STATUS));
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /** The {@code VmRSS:   123456 kB} line of a status file, in bytes. */
  static OptionalLong parseVmRss(List<String> statusLines) {
    for (String line : statusLines) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
        long value = Long.parseLong(parts[0]);
        return OptionalLong.of(parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value);
      }
    }
    return OptionalLong.empty();
  }
}
