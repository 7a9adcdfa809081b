package org.segstream.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints one line at the end of each test phase saying how many tests were skipped and why, so a
 * plain {@code mvn verify} without {@code ../shared} cannot pass quietly on skipped tests. The unit
 * phase leaves its counts in the build directory; the integration phase, which runs last, adds them
 * to its own and prints the line for the whole run. Registered through {@code META-INF/services}.
 */
public final class SkippedTestsSummary implements TestExecutionListener {
  private static final String UNIT_FILE = "skipped-unit-tests.txt";

  private TestPlan plan;
  private int tests;
  private final Map<String, Integer> skippedByReason = new TreeMap<>();

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    plan = testPlan;
  }

  @Override
  public void executionSkipped(TestIdentifier identifier, String reason) {
    skip(identifier, reason);
  }

  @Override
  public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      skip(identifier, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
    } else if (identifier.isTest()) {
      tests++;
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    String phase = System.getProperty("segstream.test.phase", "");
    Path buildDir = Path.of(System.getProperty("segstream.build.dir", "target"));
    int total = tests + skipped(skippedByReason);
    if (phase.equals("unit")) {
      write(buildDir.resolve(UNIT_FILE), total);
      System.out.println("[segstream] unit tests: " + describe(skippedByReason, total));
    } else if (phase.equals("integration")) {
      Map<String, Integer> all = new TreeMap<>(skippedByReason);
      int allTotal = total + read(buildDir.resolve(UNIT_FILE), all);
      System.out.println("[segstream] unit and integration tests: " + describe(all, allTotal));
    }
  }

  /** The summary line's text; package-visible for its test. */
  static String describe(Map<String, Integer> skippedByReason, int total) {
    int skipped = skipped(skippedByReason);
    if (skipped == 0) {
      return "none of " + total + " skipped";
    }
    List<String> parts = new ArrayList<>();
    skippedByReason.forEach((reason, n) -> parts.add(n + " because " + reason));
    return skipped + " of " + total + " skipped: " + String.join("; ", parts)
        + " (SEGSTREAM_REQUIRE_ALL=1 turns these skips into failures)";
  }

  /** Groups skip messages by what is missing, so the line stays short. */
  static String reason(String message) {
    if (message == null || message.isBlank()) {
      return "no reason given";
    }
    if (message.contains("shared data")) {
      return "../shared/data is absent";
    }
    int tool = message.indexOf("the tool '");
    if (tool >= 0) {
      int end = message.indexOf('\'', tool + 10);
      return (end > tool ? message.substring(tool + 10, end) : "a tool") + " is not on the PATH";
    }
    String oneLine = message.lines().findFirst().orElse(message).replaceAll("; skipping$", "");
    return oneLine.length() > 100 ? oneLine.substring(0, 100) + "..." : oneLine;
  }

  private void skip(TestIdentifier identifier, String message) {
    long n = identifier.isTest() ? 1 : plan == null ? 0 : plan.getDescendants(identifier).stream().filter(TestIdentifier::isTest).count();
    if (n > 0) {
      skippedByReason.merge(reason(message), (int) n, Integer::sum);
    }
  }

  private static int skipped(Map<String, Integer> byReason) {
    return byReason.values().stream().mapToInt(Integer::intValue).sum();
  }

  private void write(Path file, int total) {
    StringBuilder s = new StringBuilder("total\t").append(total).append('\n');
    skippedByReason.forEach((reason, n) -> s.append(n).append('\t').append(reason).append('\n'));
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, s, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the skipped-tests summary " + file, e);
    }
  }

  /** Adds the unit phase's skips to {@code into} and returns its test count (0 when it did not run). */
  private static int read(Path file, Map<String, Integer> into) {
    if (!Files.isRegularFile(file)) {
      return 0;
    }
    try {
      int total = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] parts = line.split("\t", 2);
        if (parts.length < 2) {
          continue;
        }
        if (parts[0].equals("total")) {
          total = Integer.parseInt(parts[1]);
        } else {
          into.merge(parts[1], Integer.parseInt(parts[0]), Integer::sum);
        }
      }
      return total;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the skipped-tests summary " + file, e);
    }
  }
}
