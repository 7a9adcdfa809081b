package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.config.InvalidSettingException;
import picocli.CommandLine;

/**
 * The latency budget of {@code run} and {@code demo}: the live default for cameras (and the demo at its native rate)
 * only, and never over what the user set; and {@code run}'s warm-up, the same way.
 */
class RunBudgetTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "a camera alone gets the live budget               | rtsp://127.0.0.1:1/cam |                          |     | 200",
    "two cameras too                                   | rtsp://127.0.0.1:1/a rtsp://127.0.0.1:1/b | |     | 200",
    "a file gets none                                  | FILE                   |                          |     | 0",
    "a file beside a camera: none (max rate is allowed) | FILE rtsp://127.0.0.1:1/cam |                    |     | 0",
    "an explicit 0 keeps it off                        | rtsp://127.0.0.1:1/cam | --latency-budget-ms=0    |     | 0",
    "an explicit budget is kept                        | rtsp://127.0.0.1:1/cam | --latency-budget-ms=350  |     | 350",
    "0 in the environment keeps it off                 | rtsp://127.0.0.1:1/cam |                          | 0   | 0",
    "a budget in the environment is kept               | rtsp://127.0.0.1:1/cam |                          | 120 | 120",
  })
  void theBudgetOfARun(String name, String inputs, String flag, String env, long expectedMs) throws Exception {
    RunCommand run = run(inputs, flag, env == null ? Map.of() : Map.of("SEGSTREAM_LATENCY_BUDGET_MS", env));
    assertEquals(expectedMs, run.budgeted(run.streams()).latencyBudget().toMillis(), name);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "a camera alone is warmed up for          | rtsp://127.0.0.1:1/cam |                  |     | 5000",
    "two cameras too                          | rtsp://127.0.0.1:1/a rtsp://127.0.0.1:1/b | | | 5000",
    "a file is not                            | FILE                   |                  |     | 0",
    "a file beside a camera: not              | FILE rtsp://127.0.0.1:1/cam |             |     | 0",
    "an explicit 0 turns it off               | rtsp://127.0.0.1:1/cam | --warm-up=0      |     | 0",
    "an explicit length is kept               | rtsp://127.0.0.1:1/cam | --warm-up=2500ms |     | 2500",
    "a file can ask for one                   | FILE                   | --warm-up=1s     |     | 1000",
    "0 in the environment turns it off        | rtsp://127.0.0.1:1/cam |                  | 0   | 0",
    "a length in the environment is kept      | rtsp://127.0.0.1:1/cam |                  | 3s  | 3000",
  })
  void theWarmUpOfARun(String name, String inputs, String flag, String env, long expectedMs) throws Exception {
    RunCommand run = run(inputs, flag, env == null ? Map.of() : Map.of("SEGSTREAM_WARM_UP", env));
    assertEquals(Duration.ofMillis(expectedMs), run.warmUp(run.streams()), name);
  }

  @Test
  void aNegativeWarmUpIsRefusedNamingTheSetting() throws Exception {
    RunCommand run = run("rtsp://127.0.0.1:1/cam", "--warm-up=-2s", Map.of());
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> run.warmUp(run.streams()));
    assertTrue(e.getMessage().contains("warm-up"), e.getMessage());
  }

  /** {@code run} with these inputs (FILE: a file) as s0, s1..., and one flag, parsed as the CLI would. */
  private RunCommand run(String inputs, String flag, Map<String, String> environment) throws Exception {
    Path file = Files.writeString(dir.resolve("clip.mp4"), "not decoded here");
    List<String> args = new ArrayList<>(List.of("run"));
    int n = 0;
    for (String input : inputs.split(" ")) {
      args.addAll(List.of("--input", input.equals("FILE") ? file.toString() : input, "--stream-id", "s" + n++));
    }
    if (flag != null) {
      args.add(flag);
    }
    return (RunCommand) subcommand(environment, args.toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "the demo at its native rate plays like a camera | --rate=native          | 200",
    "by default too                                  |                        | 200",
    "at the maximum rate: none                       | --rate=max             | 0",
    "at a fixed rate: none                           | --rate=60              | 0",
    "an explicit budget is kept                      | --latency-budget-ms=90 | 90",
    "an explicit 0 keeps it off                      | --latency-budget-ms=0  | 0",
  })
  void theBudgetOfTheDemo(String name, String flag, long expectedMs) {
    String[] argv = flag == null ? new String[] {"demo"} : new String[] {"demo", flag};
    DemoCommand demo = (DemoCommand) subcommand(Map.of(), argv);
    assertEquals(expectedMs, demo.budgeted(demo.processorOptions.toSettings()).latencyBudget().toMillis(), name);
  }

  /** The subcommand object {@code argv} parses into, its options set as the CLI would. */
  private static Object subcommand(Map<String, String> environment, String[] argv) {
    CommandLine cli = SegstreamCli.newCommandLine(environment, argv);
    return cli.parseArgs(argv).subcommand().commandSpec().userObject();
  }
}
