package org.segstream.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds {@code ../shared/data} and the Debian tools tests need. Absent → the test is skipped with a
 * message, unless {@code SEGSTREAM_REQUIRE_ALL=1} (as in CI): then absence fails the test.
 */
public final class SharedData {
  private SharedData() {}

  public static boolean requireAll() {
    return "1".equals(System.getenv("SEGSTREAM_REQUIRE_ALL"));
  }

  /** The shared data directory, e.g. {@code path("video/cat.mp4")} or {@code path("oxford-pets")}. */
  public static Path path(String relative) {
    String sharedDir = System.getProperty("segstream.shared.dir", "../shared");
    Path p = Path.of(sharedDir, "data").resolve(relative).toAbsolutePath().normalize();
    if (!Files.exists(p)) {
      missing("shared data " + p + " is absent (put ../shared/data beside the project)");
    }
    return p;
  }

  /** A folder of {@code ../shared/tools}, e.g. {@code toolSource("densecrf-reference")}. */
  public static Path toolSource(String relative) {
    String sharedDir = System.getProperty("segstream.shared.dir", "../shared");
    Path p = Path.of(sharedDir, "tools").resolve(relative).toAbsolutePath().normalize();
    if (!Files.isDirectory(p)) {
      missing("shared tool " + p + " is absent (put ../shared beside the project)");
    }
    return p;
  }

  /** A Debian package's file, such as a header folder; absent → skipped or failed as above. */
  public static Path installed(String file, String debianPackage) {
    Path p = Path.of(file);
    if (!Files.exists(p)) {
      missing(file + " is absent (apt-get install -y " + debianPackage + "; see README)");
    }
    return p;
  }

  /** A Debian tool on the PATH, such as {@code ffmpeg}. */
  public static Path tool(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    missing("the tool '" + name + "' is not on the PATH (apt-get install it; see README)");
    return null;
  }

  /** Runs a command and fails the test when it exits non-zero. */
  public static void run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = p.getInputStream().readAllBytes();
      int rc = p.waitFor();
      if (rc != 0) {
        fail(String.join(" ", command) + " exited " + rc + ":\n" + new String(output));
      }
    } catch (IOException e) {
      fail("cannot run " + command[0] + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted");
    }
  }

  /**
   * Runs a check (a tool importing what it needs, say) and skips the test, or fails it under
   * SEGSTREAM_REQUIRE_ALL=1, when the program is absent or the check exits non-zero within 60 s.
   *
   * @param packages the Debian packages that provide it, for the message
   */
  public static void requireWorking(String packages, String... check) {
    String problem = null;
    if (!Files.isExecutable(Path.of(check[0]))) {
      problem = check[0] + " is absent";
    } else {
      try {
        Process p = new ProcessBuilder(check).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
          problem = String.join(" ", check) + " failed: " + out.strip();
        }
      } catch (IOException e) {
        problem = "cannot run " + check[0] + ": " + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        problem = "interrupted";
      }
    }
    if (problem != null) {
      missing(problem + " (apt-get install " + packages + ")");
    }
  }

  private static void missing(String what) {
    if (requireAll()) {
      fail(what + " and SEGSTREAM_REQUIRE_ALL=1");
    }
    Assumptions.abort(what + "; skipping");
  }
}
