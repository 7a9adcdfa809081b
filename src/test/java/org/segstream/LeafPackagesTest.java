package org.segstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The leaf packages stay leaves, and training stays below the streaming stack: what the code of each package
 * (comments aside) names of ours and which libraries beyond the JDK it imports, read from the sources.
 */
class LeafPackagesTest {
  private static final Path MAIN = Path.of("src/main/java");
  private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
  private static final Pattern STRING = Pattern.compile("\"(\\\\.|[^\"\\\\])*\"");
  private static final Pattern OURS = Pattern.compile("\\borg\\.segstream\\.(\\w+)");
  private static final Pattern IMPORT = Pattern.compile("^import (static )?([\\w.]+)", Pattern.MULTILINE);

  @ParameterizedTest(name = "{0} may use {1} and {2}")
  @CsvSource({
    "metrics,  image metrics,                                                   ''",
    "progress, progress,                                                        ''",
    "dataset,  config dataset image metrics,                                    ''",
    "train,    config dataset image metrics model progress synth train,         org.tensorflow. org.slf4j. com.fasterxml.",
  })
  void namesOnlyTheJdkAndTheAllowedPackages(String leaf, String allowed, String libraries) throws IOException {
    List<String> allowedLibraries = libraries.isBlank() ? List.of() : List.of(libraries.split(" "));
    Set<String> ours = new TreeSet<>();
    Set<String> foreign = new TreeSet<>();
    List<Path> sources = sources(leaf);
    assertFalse(sources.isEmpty(), "no sources of " + leaf + " under " + MAIN.toAbsolutePath());
    for (Path file : sources) {
      String code = STRING.matcher(COMMENT.matcher(Files.readString(file)).replaceAll(" ")).replaceAll("\"\"");
      Matcher m = OURS.matcher(code);
      while (m.find()) {
        ours.add(m.group(1));
      }
      Matcher i = IMPORT.matcher(code);
      while (i.find()) {
        String name = i.group(2);
        if (!name.startsWith("java.") && !name.startsWith("javax.") && !name.startsWith("org.segstream.")
            && allowedLibraries.stream().noneMatch(name::startsWith)) {
          foreign.add(file.getFileName() + ": " + name);
        }
      }
    }
    Set<String> unexpected = new TreeSet<>(ours);
    unexpected.removeAll(Set.of(allowed.split(" ")));
    assertEquals(Set.of(), unexpected, leaf + " names packages of ours it must not use");
    assertEquals(Set.of(), foreign, leaf + " imports libraries it must not use");
  }

  private static List<Path> sources(String leaf) throws IOException {
    try (Stream<Path> files = Files.list(MAIN.resolve("org/segstream").resolve(leaf))) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }
}
