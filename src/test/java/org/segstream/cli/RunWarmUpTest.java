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

/** The warm-up of {@code run}: five seconds before cameras only, and what the user set otherwise. */
class RunWarmUpTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "a camera alone is warmed up for                | rtsp://127.0.0.1:1/cam |                   |       | 5000",
    "two cameras too                                | rtsp://127.0.0.1:1/a rtsp://127.0.0.1:1/b | | | 5000",
    "a file is not                                  | FILE                   |                   |       | 0",
    "a file beside a camera: not                    | FILE rtsp://127.0.0.1:1/cam |              |       | 0",
    "an explicit 0 turns it off                     | rtsp://127.0.0.1:1/cam | --warm-up=0       |       | 0",
    "an explicit length is kept                     | rtsp://127.0.0.1:1/cam | --warm-up=2500ms  |       | 2500",
    "a file can ask for one                         | FILE                   | --warm-up=1s      |       | 1000",
    "0 in the environment turns it off              | rtsp://127.0.0.1:1/cam |                   | 0     | 0",
    "a length in the environment is kept            | rtsp://127.0.0.1:1/cam |                   | 3s    | 3000",
  })
  void theWarmUpOfARun(String name, String inputs, String flag, String env, long expectedMs) throws Exception {
    RunCommand run = parse(inputs, flag, env);
    assertEquals(Duration.ofMillis(expectedMs), run.warmUp(run.streams()), name);
  }

  @Test
  void aNegativeWarmUpIsRefusedNamingTheSetting() throws Exception {
    RunCommand run = parse("rtsp://127.0.0.1:1/cam", "--warm-up=-2s", null);
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> run.warmUp(run.streams()));
    assertTrue(e.getMessage().contains("warm-up"), e.getMessage());
  }

  private RunCommand parse(String inputs, String flag, String env) throws Exception {
    Path file = Files.writeString(dir.resolve("clip.mp4"), "not decoded here");
    List<String> args = new ArrayList<>(List.of("run"));
    int n = 0;
    for (String input : inputs.split(" ")) {
      args.addAll(List.of("--input", input.equals("FILE") ? file.toString() : input, "--stream-id", "s" + n++));
    }
    if (flag != null) {
      args.add(flag);
    }
    Map<String, String> environment = env == null ? Map.of() : Map.of("SEGSTREAM_WARM_UP", env);
    String[] argv = args.toArray(String[]::new);
    CommandLine cli = SegstreamCli.newCommandLine(environment, argv);
    return (RunCommand) cli.parseArgs(argv).subcommand().commandSpec().userObject();
  }
}
