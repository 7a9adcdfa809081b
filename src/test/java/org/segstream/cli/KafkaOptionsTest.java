package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.kafka.KafkaSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class KafkaOptionsTest {
  @TempDir Path dir;

  @Command(name = "probe")
  static final class Probe implements Runnable {
    @Mixin KafkaOptions kafka;
    KafkaSettings settings;

    @Override
    public void run() {
      settings = kafka.settings();
    }
  }

  private KafkaSettings parse(Map<String, String> env, String... args) {
    Probe probe = new Probe();
    CommandLine cli = new CommandLine(probe);
    cli.setDefaultValueProvider(new SettingsDefaultProvider(env, new java.util.Properties()));
    assertEquals(0, cli.execute(args));
    return probe.settings;
  }

  @Test
  void defaultsToTheLocalBroker() {
    assertEquals("127.0.0.1:9092", parse(Map.of()).bootstrapServers());
  }

  @Test
  void flagBeatsEnvironmentBeatsKafkaConfigFile() throws IOException {
    Path file = dir.resolve("kafka.properties");
    Files.writeString(file, "bootstrap.servers=file:9092\nsecurity.protocol=SSL\n");
    assertEquals("file:9092", parse(Map.of(), "--kafka-config", file.toString()).bootstrapServers());
    assertEquals("env:9092", parse(Map.of("SEGSTREAM_BOOTSTRAP_SERVERS", "env:9092"), "--kafka-config", file.toString())
        .bootstrapServers());
    KafkaSettings flag = parse(Map.of("SEGSTREAM_BOOTSTRAP_SERVERS", "env:9092"),
        "--kafka-config", file.toString(), "--bootstrap-servers", "flag:9092");
    assertEquals("flag:9092", flag.bootstrapServers());
    assertEquals("SSL", flag.common().getProperty("security.protocol"));
  }
}
