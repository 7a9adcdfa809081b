package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every command's help starts with a one-line summary (the first line of its description: a sentence of at most
 * {@value #SUMMARY_WIDTH} characters, which the parent's command list shows), no option has a default under
 * {@code ../shared} (a checkout's neighbour that an installed jar does not have), and a benchmark run without
 * its input says which flag to give.
 */
class CommandHelpTest {
  /** The parent's command list indents summaries, so a summary this long still fits 100 columns. */
  private static final int SUMMARY_WIDTH = 80;

  /** Every command and subcommand, as "segstream bench crf" and its CommandLine. */
  static Stream<Arguments> commands() {
    List<CommandLine> all = new ArrayList<>();
    collect(SegstreamCli.newCommandLine(Map.of(), new String[0]), all);
    return all.stream().map(cli -> Arguments.of(cli.getCommandSpec().qualifiedName(), cli));
  }

  private static void collect(CommandLine cli, List<CommandLine> all) {
    all.add(cli);
    cli.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, all));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void helpStartsWithAOneLineSummary(String name, CommandLine cli) {
    // picocli's own help command has its summary as a header, above the usage line; ours have it as the description
    String[] header = cli.getCommandSpec().usageMessage().header();
    String[] description = cli.getCommandSpec().usageMessage().description();
    assertTrue(header.length > 0 || description.length > 0, name + " has no description");
    String summary = header.length > 0 ? header[0] : description[0];
    assertTrue(summary.length() <= SUMMARY_WIDTH, name + "'s summary is longer than " + SUMMARY_WIDTH + ": " + summary);
    assertTrue(summary.endsWith("."), name + "'s summary is not a sentence of its own: " + summary);
    SegstreamCliTest.Run help = SegstreamCliTest.run(helpArgs(name));
    assertEquals(0, help.exitCode(), help.err());
    List<String> lines = help.out().lines().toList();
    if (header.length > 0) {
      assertEquals(summary, lines.get(0).strip(), name + " --help does not start with its summary:\n" + help.out());
      return;
    }
    int usageEnd = 0;
    while (usageEnd < lines.size() && !lines.get(usageEnd).isBlank() && (usageEnd == 0 || lines.get(usageEnd).startsWith(" "))) {
      usageEnd++;
    }
    assertTrue(usageEnd < lines.size(), name + " --help: " + help.out());
    assertEquals(summary, lines.get(usageEnd).strip(), name + " --help does not start with its summary:\n" + help.out());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void noDefaultPointsIntoSharedData(String name, CommandLine cli) {
    for (OptionSpec option : cli.getCommandSpec().options()) {
      String value = option.defaultValue();
      assertFalse(value != null && value.replace('\\', '/').contains("shared/data"),
          name + " " + option.longestName() + " defaults to " + value);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "bench pipeline,  --input",
    "bench scale,     --input",
    "bench soak,      --input",
    "bench ingest,    --input",
    "bench crf,       --reference-dir",
  })
  void aBenchmarkWithoutItsInputNamesTheFlagToGive(String command, String flag) {
    SegstreamCliTest.Run r = SegstreamCliTest.run(command.split(" "));
    assertEquals(ExitCodes.USAGE, r.exitCode(), r.err());
    assertTrue(r.err().contains("no input: give " + flag) && r.err().contains("../shared/data"), r.err());
    List<String> missing = new ArrayList<>(List.of(command.split(" ")));
    missing.addAll(List.of(flag, "no-such-input"));
    SegstreamCliTest.Run absent = SegstreamCliTest.run(missing.toArray(String[]::new));
    assertEquals(ExitCodes.USAGE, absent.exitCode(), absent.err());
    assertTrue(absent.err().contains(flag + " no-such-input: no such "), absent.err());
  }

  /** {@code segstream bench crf} becomes {@code bench crf --help}. */
  private static String[] helpArgs(String qualifiedName) {
    List<String> args = new ArrayList<>(List.of(qualifiedName.split(" ")));
    args.remove(0);
    args.add("--help");
    return args.toArray(String[]::new);
  }
}
