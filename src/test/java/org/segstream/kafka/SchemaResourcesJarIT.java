package org.segstream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The packaged jar: the codecs find the schema versions inside it, not only in target/classes. */
class SchemaResourcesJarIT {

  @Test
  void codecsInThePackagedJarRegisterTheSchemasKeptInIt() throws Exception {
    Path jar = Path.of(System.getProperty("segstream.jar", "target/segstream.jar"));
    assertTrue(Files.isRegularFile(jar), "package the jar first: " + jar);
    List<URL> urls = new ArrayList<>();
    urls.add(jar.toUri().toURL());
    try (Stream<Path> libs = Files.list(jar.resolveSibling("lib"))) {
      for (Path lib : libs.filter(p -> p.toString().endsWith(".jar")).toList()) {
        urls.add(lib.toUri().toURL());
      }
    }
    // a loader that sees only the jar and its libs, not target/classes
    try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      Class<?> serdes = Class.forName("org.segstream.kafka.AvroSerdes", true, loader);
      // every version kept in schemas/ (today's) and schemas/history/ (the earlier ones), found inside the jar
      Map<String, Integer> versions = Map.of("frameCodec", 1, "resultCodec", 3, "deadLetterCodec", 1);
      for (String codec : List.of("frameCodec", "resultCodec", "deadLetterCodec")) {
        Object instance = serdes.getMethod(codec).invoke(null);
        Map<?, ?> known = (Map<?, ?>) instance.getClass().getMethod("knownVersions").invoke(instance);
        assertEquals(versions.get(codec), known.size(), codec + ": " + known);
        for (Object location : known.values()) {
          String where = location.toString();
          assertTrue(where.contains("segstream.jar!/schemas/") && where.endsWith(".avsc"), codec + " found a schema at " + where);
        }
      }
    }
  }
}
