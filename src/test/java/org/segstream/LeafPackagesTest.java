package org.segstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The dependency rules of the packages, read from the sources (comments and string literals aside), without a
 * library: the leaf packages stay leaves, nothing imports the CLI and picocli stays in it, the compute core never
 * sees an Avro-generated type, the pure image math knows neither Kafka nor TensorFlow, training stays below the
 * streaming stack, and the report sits above the demo and the evaluation it writes up. A name counts whether
 * imported or written out in full.
 */
class LeafPackagesTest {
  private static final Path MAIN = Path.of("src/main/java");
  private static final Path OURS_ROOT = MAIN.resolve("org/segstream");
  private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
  private static final Pattern STRING = Pattern.compile("\"(\\\\.|[^\"\\\\])*\"");
  private static final Pattern OURS = Pattern.compile("\\borg\\.segstream\\.(\\w+)");
  private static final Pattern IMPORT = Pattern.compile("^import (static )?([\\w.]+)", Pattern.MULTILINE);

  /** An allow-list: the packages of ours a package may name, and the libraries beyond the JDK it may import. */
  @ParameterizedTest(name = "{0} may use {1} and {2}")
  @CsvSource({
    "image,    image,                                                           org.bytedeco.",
    "metrics,  image metrics,                                                   ''",
    "progress, progress,                                                        ''",
    "version,  version,                                                         ''",
    "config,   config,                                                          ch.qos.logback. org.slf4j.Marker org.slf4j.event.KeyValuePair",
    "dataset,  config dataset image metrics,                                    ''",
    "segment,  config image model refine segment temporal,                      ''",
    "refine,   image refine,                                                    org.bytedeco.",
    "synth,    image synth,                                                     ''",
    "temporal, image temporal,                                                  ''",
    "track,    image refine track,                                              ''",
    "scoring,  dataset image metrics model scoring segment,                     org.slf4j.",
    "train,    config dataset image metrics model progress refine scoring segment synth train, org.tensorflow. org.slf4j. com.fasterxml.",
    "video,    config image video,                                              org.bytedeco. org.slf4j.",
  })
  void namesOnlyTheJdkAndTheAllowedPackages(String pkg, String allowed, String libraries) throws IOException {
    List<String> allowedLibraries = libraries.isBlank() ? List.of() : List.of(libraries.split(" "));
    Set<String> ours = new TreeSet<>();
    Set<String> foreign = new TreeSet<>();
    for (Path file : sources(pkg)) {
      String code = code(file);
      ours.addAll(oursNamed(code));
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
    assertEquals(Set.of(), unexpected, pkg + " names packages of ours it must not use");
    assertEquals(Set.of(), foreign, pkg + " imports libraries it must not use");
  }

  /**
   * A deny-list: names no source of the packages may contain ({@code *} = every package of ours but those after
   * {@code -}).
   */
  @ParameterizedTest(name = "{0} never names {1}")
  @CsvSource({
    "* -cli,        org.segstream.cli. picocli.",
    "segment,       org.segstream.avro. org.apache.avro. org.segstream.kafka. org.apache.kafka. org.segstream.process.",
    "track,         org.segstream.avro. org.apache.avro. org.segstream.kafka. org.apache.kafka. org.tensorflow.",
    "temporal,      org.segstream.avro. org.apache.avro. org.segstream.kafka. org.apache.kafka. org.tensorflow.",
    "refine synth,  org.segstream.kafka. org.segstream.avro. org.apache.kafka. org.segstream.model. org.tensorflow.",
    "train,         org.segstream.eval. org.segstream.kafka. org.segstream.process. org.segstream.ingest. org.segstream.cli.",
    "metrics image, org.segstream.kafka. org.segstream.avro. org.apache.kafka. org.tensorflow. org.segstream.model.",
    "eval demo,     org.segstream.report.",
    "eval,          org.segstream.demo.",
  })
  void neverNamesWhatItMustNot(String packages, String forbidden) throws IOException {
    List<String> violations = new ArrayList<>();
    for (String pkg : packages(packages)) {
      for (Path file : sources(pkg)) {
        violations.addAll(forbiddenNames(pkg + "/" + file.getFileName(), code(file), List.of(forbidden.split(" "))));
      }
    }
    assertEquals(List.of(), violations, packages + " must not name " + forbidden);
  }

  /** The generated contour types are read and written in one place, the result mapping at the Kafka edge. */
  @Test
  void theGeneratedContourIsNamedOnlyByTheResultMapping() throws IOException {
    List<String> naming = new ArrayList<>();
    for (String pkg : packages("*")) {
      for (Path file : sources(pkg)) {
        for (String v : forbiddenNames(pkg + "/" + file.getFileName(), code(file),
            List.of("org.segstream.avro.Contour", "org.segstream.avro.Polygon"))) {
          naming.add(v.substring(0, v.indexOf(':')));
        }
      }
    }
    assertEquals(Set.of("kafka/ResultRecords.java"), Set.copyOf(naming));
  }

  /** The scanner itself: it finds imports and names written in full, and skips comments and strings. */
  @Test
  void theScannerSeesCodeOnly() {
    String source = """
        package org.segstream.segment;
        import org.segstream.avro.VideoFrame; // the import counts
        /** org.segstream.cli.Commented does not count */
        class X {
          String s = "org.segstream.cli.InAString does not count";
          Object o = new org.segstream.kafka.Topics(); // a name in full counts
          // picocli.CommandLine in a comment does not count
        }
        """;
    String code = strip(source);
    assertEquals(Set.of("segment", "avro", "kafka"), oursNamed(code));
    assertEquals(List.of("X.java: org.segstream.avro.", "X.java: org.segstream.kafka."),
        forbiddenNames("X.java", code, List.of("org.segstream.avro.", "org.segstream.kafka.", "org.segstream.cli.", "picocli.")));
  }

  private static List<String> forbiddenNames(String where, String code, List<String> forbidden) {
    List<String> found = new ArrayList<>();
    for (String name : forbidden) {
      if (Pattern.compile("(?<![\\w.])" + Pattern.quote(name)).matcher(code).find()) {
        found.add(where + ": " + name);
      }
    }
    return found;
  }

  private static Set<String> oursNamed(String code) {
    Set<String> ours = new TreeSet<>();
    Matcher m = OURS.matcher(code);
    while (m.find()) {
      ours.add(m.group(1));
    }
    return ours;
  }

  /** {@code "a b"} → a and b; {@code "* -x"} → every package of ours but x. */
  private static List<String> packages(String spec) throws IOException {
    List<String> named = List.of(spec.trim().split("\\s+"));
    if (!named.get(0).equals("*")) {
      return named;
    }
    Set<String> excluded = new TreeSet<>();
    named.stream().filter(n -> n.startsWith("-")).forEach(n -> excluded.add(n.substring(1)));
    try (Stream<Path> dirs = Files.list(OURS_ROOT)) {
      List<String> all = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
          .filter(n -> !excluded.contains(n)).sorted().toList();
      assertFalse(all.isEmpty(), "no packages under " + OURS_ROOT.toAbsolutePath());
      return all;
    }
  }

  private static String code(Path file) throws IOException {
    return strip(Files.readString(file));
  }

  private static String strip(String source) {
    return STRING.matcher(COMMENT.matcher(source).replaceAll(" ")).replaceAll("\"\"");
  }

  private static List<Path> sources(String pkg) throws IOException {
    try (Stream<Path> files = Files.list(OURS_ROOT.resolve(pkg))) {
      List<Path> sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
      assertFalse(sources.isEmpty(), "no sources of " + pkg + " under " + MAIN.toAbsolutePath());
      return sources;
    }
  }
}
