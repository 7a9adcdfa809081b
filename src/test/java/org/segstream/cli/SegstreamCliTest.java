package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class SegstreamCliTest {

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = SegstreamCli.execute(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(rc, out.toString(), err.toString());
  }

  @Test
  void unknownFlagIsUsageErrorWithOneLine() {
    Run r = run("--no-such-flag");
    assertEquals(ExitCodes.USAGE, r.exitCode());
    assertEquals(1, r.err().strip().lines().count(), "one line, got: " + r.err());
    assertTrue(r.err().contains("--no-such-flag"), r.err());
  }

  @Test
  void unknownSubcommandIsUsageError() {
    Run r = run("no-such-command");
    assertEquals(ExitCodes.USAGE, r.exitCode());
  }

  @Test
  void missingSubcommandIsUsageError() {
    assertEquals(ExitCodes.USAGE, run().exitCode());
  }

  static Stream<List<String>> everyCommand() {
    List<List<String>> paths = new ArrayList<>();
    collect(SegstreamCli.newCommandLine(Map.of(), new String[0]), new ArrayList<>(), paths);
    return paths.stream();
  }

  private static void collect(CommandLine cli, List<String> prefix, List<List<String>> into) {
    into.add(List.copyOf(prefix));
    for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
      if (sub.getKey().equals("help")) {
        continue;
      }
      List<String> path = new ArrayList<>(prefix);
      path.add(sub.getKey());
      collect(sub.getValue(), path, into);
    }
  }

  @ParameterizedTest
  @MethodSource("everyCommand")
  void everyCommandHasHelp(List<String> path) {
    List<String> args = new ArrayList<>(path);
    args.add("--help");
    // picocli reports a broken description (a lone % in it) on System.err, not on the command's writer
    PrintStream original = System.err;
    ByteArrayOutputStream picocliWarnings = new ByteArrayOutputStream();
    Run r;
    System.setErr(new PrintStream(picocliWarnings, true, StandardCharsets.UTF_8));
    try {
      r = run(args.toArray(String[]::new));
    } finally {
      System.setErr(original);
    }
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("Usage: segstream"), r.out());
    String warnings = picocliWarnings.toString(StandardCharsets.UTF_8);
    assertFalse(warnings.contains("picocli WARN"), warnings);
  }
}
