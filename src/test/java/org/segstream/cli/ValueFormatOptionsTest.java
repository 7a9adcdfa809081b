package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --value-format} and {@code --schema-registry-url} go together, on every command that reads or writes topics. */
class ValueFormatOptionsTest {
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SegstreamCli.execute(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ingest", "process", "run", "tail", "eval", "demo"})
  void everyTopicCommandHasTheFlags(String command) {
    Run help = run(command, "--help");
    assertEquals(0, help.code(), help.err());
    assertTrue(help.out().contains("--value-format") && help.out().contains("--schema-registry-url")
        && help.out().contains("--schema-registry-auto-register"), help.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"process", "tail"})
  void confluentWithoutAUrlOrAUrlWithoutConfluentIsAUsageError(String command) {
    Run noUrl = run(command, "--bootstrap-servers", "127.0.0.1:1", "--value-format", "confluent");
    assertEquals(ExitCodes.USAGE, noUrl.code(), noUrl.err());
    assertTrue(noUrl.err().contains("--schema-registry-url"), noUrl.err());

    Run noFormat = run(command, "--bootstrap-servers", "127.0.0.1:1", "--schema-registry-url", "http://u:pw@reg:8081");
    assertEquals(ExitCodes.USAGE, noFormat.code(), noFormat.err());
    assertTrue(noFormat.err().contains("--value-format confluent"), noFormat.err());
    assertFalse(noFormat.err().contains("pw@"), "the URL's password is masked: " + noFormat.err());

    Run unknown = run(command, "--bootstrap-servers", "127.0.0.1:1", "--value-format", "json");
    assertEquals(ExitCodes.USAGE, unknown.code(), unknown.err());
    assertTrue(unknown.err().contains("unknown value format 'json'"), unknown.err());
  }
}
