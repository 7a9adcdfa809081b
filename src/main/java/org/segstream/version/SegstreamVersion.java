package org.segstream.version;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of the running Segstream: the jar manifest's {@code Implementation-Version}, or, when the classes run
 * from a directory (unit tests, an IDE), the version the build wrote into {@value #RESOURCE}. Both come from the
 * pom's {@code <version>}, so {@code --version} and the results' {@code producerVersion} name the same build.
 */
public final class SegstreamVersion {
  static final String RESOURCE = "segstream-version.properties";

  private SegstreamVersion() {}

  /**
   * The running version, such as {@code 0.1.0-SNAPSHOT} (looked up on each call, which callers make once: a missing
   * version is an error with its cause, not a failed class initialisation).
   *
   * @throws IllegalStateException when neither the manifest nor the build's resource holds a version
   */
  public static String current() {
    String fromManifest = SegstreamVersion.class.getPackage().getImplementationVersion();
    if (fromManifest != null) {
      return fromManifest;
    }
    try (InputStream in = SegstreamVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("no Implementation-Version in the jar manifest and no " + RESOURCE
            + " beside " + SegstreamVersion.class.getName() + ": build with Maven (mvn package), which writes both");
      }
      Properties p = new Properties();
      p.load(in);
      String version = p.getProperty("version");
      if (version == null || version.isBlank() || version.contains("${")) {
        throw new IllegalStateException(RESOURCE + " holds no filtered version (" + version
            + "): build with Maven (mvn package), whose resource filtering writes it");
      }
      return version.strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
