package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.segstream.config.Secrets;
import org.segstream.config.InvalidSettingException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class SettingsPrecedenceTest {

  @Command(name = "probe")
  static final class Probe implements Runnable {
    @Option(names = "--config")
    Path config;

    @Option(names = "--batch-size", defaultValue = "8")
    int batchSize;

    @Override
    public void run() {}
  }

  @TempDir Path dir;

  /** flag, env, file → the value the option ends up with; empty = not given at that level. */
  @ParameterizedTest(name = "flag={0} env={1} file={2} -> {3}")
  @CsvSource({
    "16, 32, 64, 16",
    ",   32, 64, 32",
    ",     , 64, 64",
    ",     ,   , 8",
    "16,   , 64, 16",
    "16, 32,   , 16",
  })
  void flagBeatsEnvironmentBeatsFileBeatsDefault(String flag, String env, String file, int expected) throws Exception {
    List<String> args = new ArrayList<>();
    if (file != null) {
      Path config = dir.resolve("segstream.properties");
      Files.writeString(config, "batch-size=" + file + "\n");
      args.add("--config");
      args.add(config.toString());
    }
    if (flag != null) {
      args.add("--batch-size");
      args.add(flag);
    }
    Map<String, String> environment = new HashMap<>();
    if (env != null) {
      environment.put("SEGSTREAM_BATCH_SIZE", env);
    }
    String[] argv = args.toArray(String[]::new);
    Probe probe = new Probe();
    CommandLine cli = new CommandLine(probe);
    cli.setDefaultValueProvider(SettingsDefaultProvider.fromArgs(argv, environment));
    cli.parseArgs(argv);
    assertEquals(expected, probe.batchSize);
  }

  @Test
  void unreadableConfigFileIsAUsageErrorNamingTheFile() {
    Path missing = dir.resolve("nope.properties");
    InvalidSettingException e =
        assertThrows(InvalidSettingException.class, () -> SettingsDefaultProvider.fromArgs(new String[] {"--config", missing.toString()}, Map.of()));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
    "batch-size, SEGSTREAM_BATCH_SIZE",
    "bootstrap-servers, SEGSTREAM_BOOTSTRAP_SERVERS",
    "model, SEGSTREAM_MODEL",
  })
  void environmentNames(String key, String env) {
    assertEquals(env, SettingsDefaultProvider.envNameOf(key));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "rtsp://admin:hunter2@cam.local/stream | rtsp://***@cam.local/stream",
        "open failed for http://u:p%40ss@10.0.0.1:8080/x.mjpg (code -5) | open failed for http://***@10.0.0.1:8080/x.mjpg (code -5)",
        "rtsp://cam.local/stream | rtsp://cam.local/stream",
        "/videos/cat.mp4 | /videos/cat.mp4",
      })
  void passwordsInUrisAreMasked(String raw, String masked) {
    assertEquals(masked, Secrets.maskUris(raw));
  }

  @Test
  void secretSettingsAreMasked() {
    assertEquals("***", Secrets.maskSetting("sasl.jaas.config", "org.apache...PlainLoginModule required password=\"x\";"));
    assertEquals("***", Secrets.maskSetting("ssl.key.password", "x"));
    assertEquals("127.0.0.1:9092", Secrets.maskSetting("bootstrap.servers", "127.0.0.1:9092"));
  }
}
