package org.segstream.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The training command as a recipe that works on another machine: the folders it reads are named relative
 * to the data root (the folder that holds the dataset, {@code ../shared/data} beside the project), and the
 * options that only say where this machine keeps its outputs are left out.
 */
final class TrainingRecipe {
  /** Options whose value is an input folder, rewritten relative to the data root. */
  private static final Set<String> INPUTS = Set.of("--data", "--pretrained", "--backgrounds");
  /** Options that name this machine's outputs or how it shows progress: not part of the recipe. */
  private static final Set<String> LOCAL_WITH_VALUE = Set.of("--out", "--checkpoint-dir", "--config");
  private static final Set<String> LOCAL_FLAGS = Set.of("--resume", "--log-progress", "--verbose");

  private TrainingRecipe() {}

  /** {@code segstream train ...} with input paths relative to {@code dataRoot} and local options dropped. */
  static String of(List<String> args, Path dataRoot) {
    List<String> out = new ArrayList<>();
    out.add("segstream");
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      boolean inline = arg.contains("=");
      if (LOCAL_FLAGS.contains(name)) {
        continue;
      }
      if (LOCAL_WITH_VALUE.contains(name)) {
        i += inline ? 0 : 1;
        continue;
      }
      if (INPUTS.contains(name)) {
        String value = inline ? arg.substring(arg.indexOf('=') + 1) : i + 1 < args.size() ? args.get(++i) : "";
        out.add(name);
        out.add(relative(value, dataRoot));
        continue;
      }
      out.add(arg);
    }
    return String.join(" ", out);
  }

  /** Each comma-separated path relative to the data root when it lies inside it, else as given. */
  private static String relative(String value, Path dataRoot) {
    List<String> parts = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      Path p = Path.of(part).toAbsolutePath().normalize();
      parts.add(dataRoot != null && p.startsWith(dataRoot) ? dataRoot.relativize(p).toString() : part);
    }
    return String.join(",", parts);
  }
}
