package org.segstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's one {@code apt-get install} line holds every Debian package that CI ({@code .ci/run}) installs for the
 * full test run, so a newcomer who follows README needs no step it does not give.
 */
class ReadmeSetupTest {
  private static final Pattern README_LINE = Pattern.compile("^sudo apt-get install -y --no-install-recommends (.+)$", Pattern.MULTILINE);
  private static final Pattern CI_LIST = Pattern.compile("for pkg in ((?:[^;]|\\\\\\n)+); do");

  @Test
  void readmeInstallsEveryPackageCiInstalls() throws IOException {
    Matcher readme = README_LINE.matcher(Files.readString(Path.of("README.md")));
    List<String> lines = readme.results().map(m -> m.group(1)).toList();
    assertEquals(1, lines.size(), "README has one 'sudo apt-get install -y --no-install-recommends ...' line: " + lines);
    Set<String> readmePackages = new TreeSet<>(Arrays.asList(lines.get(0).trim().split("\\s+")));
    Matcher ci = CI_LIST.matcher(Files.readString(Path.of(".ci/run")));
    Set<String> ciPackages = new TreeSet<>();
    while (ci.find()) {
      ciPackages.addAll(Arrays.asList(ci.group(1).replace("\\\n", " ").trim().split("\\s+")));
    }
    assertFalse(ciPackages.isEmpty(), ".ci/run installs its packages in a 'for pkg in ...; do' loop");
    Set<String> missing = new TreeSet<>(ciPackages);
    missing.removeAll(readmePackages);
    assertEquals(Set.of(), missing, "packages .ci/run installs that README's apt-get line does not");
  }
}
