package org.segstream.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Names the machine a speed was measured on: CPU model and the cores this JVM may use. */
public final class Machine {
  private Machine() {}

  public static String describe() {
    String cpu = cpuModel();
    int cores = Runtime.getRuntime().availableProcessors();
    return cpu + ", " + cores + (cores == 1 ? " core" : " cores") + ", " + System.getProperty("os.name") + " "
        + System.getProperty("os.arch");
  }

  private static String cpuModel() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      for (String line : lines) {
        if (line.startsWith("model name")) {
          int colon = line.indexOf(':');
          return line.substring(colon + 1).strip().replaceAll("\\s+", " ");
        }
      }
    } catch (IOException | SecurityException e) {
      // not Linux, or not readable: fall through to the generic name
    }
    return "unknown CPU";
  }
}
