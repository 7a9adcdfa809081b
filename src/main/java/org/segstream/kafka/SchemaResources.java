package org.segstream.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Reads every {@code .avsc} below a class-path directory, in every class-path entry that has it
 * (a directory in development and tests, the jar in production).
 */
final class SchemaResources {
  /** One schema file: where it came from (for messages) and its text. */
  record SchemaText(String location, String json) {}

  private SchemaResources() {}

  static List<SchemaText> find(ClassLoader loader, String dir) {
    String prefix = dir.endsWith("/") ? dir : dir + "/";
    // sorted by location so registration order (and error messages) are deterministic
    TreeMap<String, SchemaText> found = new TreeMap<>();
    try {
      Enumeration<URL> roots = loader.getResources(prefix.substring(0, prefix.length() - 1));
      while (roots.hasMoreElements()) {
        URL root = roots.nextElement();
        switch (root.getProtocol()) {
          case "file" -> readDirectory(Path.of(root.toURI()), root.toString(), found);
          case "jar" -> readJar(root, prefix, found);
          default -> throw new IllegalStateException(
              "cannot list schema resources at " + root + ": only directories and jars are supported");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the schema resources under " + prefix, e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("bad class-path URL for " + prefix, e);
    }
    return List.copyOf(found.values());
  }

  private static void readDirectory(Path root, String location, TreeMap<String, SchemaText> out) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(p -> p.getFileName().toString().endsWith(".avsc")).sorted().toList();
    }
    for (Path file : files) {
      String where = location + "/" + root.relativize(file).toString().replace('\\', '/');
      out.put(where, new SchemaText(where, Files.readString(file, StandardCharsets.UTF_8)));
    }
  }

  private static void readJar(URL root, String prefix, TreeMap<String, SchemaText> out) throws IOException {
    URLConnection connection = root.openConnection();
    if (!(connection instanceof JarURLConnection jarConnection)) {
      throw new IllegalStateException("cannot list schema resources at " + root);
    }
    // no cache: the JarFile is ours to close, not shared with the class loader
    jarConnection.setUseCaches(false);
    try (JarFile jar = jarConnection.getJarFile()) {
      List<JarEntry> entries = new ArrayList<>();
      jar.stream()
          .filter(e -> !e.isDirectory() && e.getName().startsWith(prefix) && e.getName().endsWith(".avsc"))
          .forEach(entries::add);
      for (JarEntry entry : entries) {
        String where = jar.getName() + "!/" + entry.getName();
        try (InputStream in = jar.getInputStream(entry)) {
          out.put(where, new SchemaText(where, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
      }
    }
  }
}
