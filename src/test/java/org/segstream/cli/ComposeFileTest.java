package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.segstream.kafka.Topic;
import org.segstream.kafka.Topics;
import org.segstream.testing.SharedData;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code docker/compose.yaml} validates with Debian's docker-compose (1.29), and every Segstream
 * command, flag and SEGSTREAM_* variable it uses exists on the CLI and parses. No Docker engine
 * runs here: this is as far as the compose file is checked.
 */
class ComposeFileTest {
  private static final Path COMPOSE = Path.of("docker/compose.yaml");
  private static final Path DOCKERFILE = Path.of("docker/Dockerfile");
  /**
   * Variables for flags that other work adds ({@code --metrics-host} of the hardening issue): the
   * image and compose set them already, which is safe because picocli's default provider is asked
   * only about options that exist, so an unknown SEGSTREAM_* variable is ignored (tested below).
   */
  private static final Set<String> AWAITED_VARIABLES = Set.of("SEGSTREAM_METRICS_HOST");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

  @Test
  void dockerComposeValidatesTheFileWithEveryProfile() throws Exception {
    Path tool = SharedData.tool("docker-compose");
    String services = run(tool.toString(), "-f", COMPOSE.toString(), "--profile", "gpu", "--profile", "rtsp", "config", "--services");
    assertEquals(
        new TreeSet<>(composeServices().keySet()),
        new TreeSet<>(List.of(services.strip().split("\\s+"))),
        "docker-compose sees every service of the file");
    String resolved = run(tool.toString(), "-f", COMPOSE.toString(), "--profile", "gpu", "config");
    assertTrue(resolved.contains("capabilities:") && resolved.contains("driver: nvidia"), "the GPU processor reserves an NVIDIA device:\n" + resolved);
  }

  @Test
  void everySegstreamCommandFlagAndVariableExistsOnTheCli() throws IOException {
    Map<String, Map<String, Object>> services = composeServices();
    int checked = 0;
    for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
      Map<String, Object> s = service.getValue();
      if (!String.valueOf(s.get("image")).startsWith("segstream")) {
        continue;
      }
      checkAgainstCli(service.getKey(), command(s), environment(s));
      checked++;
    }
    assertTrue(checked >= 5, "process, process-gpu, two ingests and tail run the Segstream image; checked " + checked);
  }

  @Test
  void theCheckRejectsWhatTheCliDoesNotHave() {
    Map<String, String> env = Map.of("SEGSTREAM_BOOTSTRAP_SERVERS", "kafka:9092");
    assertThrows(AssertionError.class, () -> checkAgainstCli("bad-flag", List.of("process", "--no-such-flag"), env));
    assertThrows(AssertionError.class, () -> checkAgainstCli("bad-command", List.of("no-such-command"), env));
    assertThrows(AssertionError.class, () -> checkAgainstCli("bad-variable", List.of("process"), Map.of("SEGSTREAM_NO_SUCH_FLAG", "1")));
    assertThrows(AssertionError.class, () -> checkAgainstCli("bad-value", List.of("process", "--metrics-port", "many"), env));
  }

  @Test
  void anUnknownSegstreamVariableIsIgnored() {
    // what makes AWAITED_VARIABLES safe to set before their flags exist
    Map<String, String> env = Map.of("SEGSTREAM_NO_SUCH_FLAG", "0.0.0.0", "SEGSTREAM_METRICS_PORT", "9400");
    CommandLine cli = SegstreamCli.newCommandLine(env, new String[] {"process"});
    ParseResult parsed = cli.parseArgs("process");
    OptionSpec port = parsed.subcommand().commandSpec().findOption("--metrics-port");
    assertEquals(9400, (Integer) port.getValue(), "the known variable still applies");
  }

  @Test
  void theServicesScaleAndWireTogether() throws IOException {
    Map<String, Map<String, Object>> services = composeServices();
    Map<String, Object> process = services.get("process");
    assertFalse(process.containsKey("container_name"), "a fixed container name would stop --scale process=N");
    for (Object port : (List<?>) process.get("ports")) {
      assertTrue(interpolate(String.valueOf(port)).matches("127\\.0\\.0\\.1::\\d+"),
          "an ephemeral host port (a fixed one would stop --scale process=N) on 127.0.0.1 by default: " + port);
    }
    for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
      if (service.getValue().get("ports") instanceof List<?> ports) {
        for (Object port : ports) {
          assertTrue(interpolate(String.valueOf(port)).startsWith("127.0.0.1:"),
              "service " + service.getKey() + " publishes " + port + " on loopback unless PUBLISH_HOST opens it");
        }
      }
      if (String.valueOf(service.getValue().get("image")).startsWith("segstream")) {
        Map<String, Object> s = service.getValue();
        assertEquals(Boolean.TRUE, s.get("read_only"), service.getKey() + " runs on a read-only root file system");
        assertEquals("40s", s.get("stop_grace_period"), service.getKey() + ": a stop waits out Streams' 30 s close");
      }
    }
    assertTrue(String.valueOf(services.get("kafka").get("image")).startsWith("apache/kafka:"));
    assertEquals("broker,controller", environment(services.get("kafka")).get("KAFKA_PROCESS_ROLES"), "KRaft, no ZooKeeper");
    String topicCommand = String.valueOf(services.get("topics").get("command"));
    for (Topic<?, ?> topic : Topics.all()) {
      assertTrue(topicCommand.contains("--topic " + topic.name() + " "), "the topics service creates " + topic.name());
    }
    assertEquals(
        String.valueOf(Topics.FRAMES.partitions()),
        interpolate(String.valueOf(environment(services.get("topics")).get("FRAMES_PARTITIONS"))));
    Map<?, ?> build = (Map<?, ?>) services.get("process-gpu").get("build");
    Map<?, ?> args = (Map<?, ?>) build.get("args");
    assertEquals("-Pgpu", args.get("MAVEN_PROFILES"));
    String dockerfile = Files.readString(DOCKERFILE);
    String pom = Files.readString(Path.of("pom.xml"));
    assertTrue(pom.contains("<id>gpu</id>"), "the pom has the gpu profile the GPU image builds with");
    for (Map<String, Object> s : services.values()) {
      if (s.get("build") instanceof Map<?, ?> b) {
        assertTrue(dockerfile.contains(" AS " + b.get("target") + "\n"), "the Dockerfile has the stage " + b.get("target"));
      }
    }
    assertTrue(dockerfile.contains("ENTRYPOINT [\"java\", \"@/opt/segstream/natives/java.args\", \"-jar\", \"/opt/segstream/segstream.jar\"]"));
    assertTrue(dockerfile.contains("mvn -B -q -DskipTests ${MAVEN_PROFILES} package"));
  }

  /** Parses the arguments with environment {@code env} as SegstreamCli would, and checks every SEGSTREAM_* variable. */
  private static void checkAgainstCli(String service, List<String> command, Map<String, String> env) {
    String[] args = command.toArray(String[]::new);
    CommandLine cli = SegstreamCli.newCommandLine(env, args);
    ParseResult parsed;
    try {
      parsed = cli.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      fail("service " + service + ": '" + String.join(" ", command) + "' does not parse: " + e.getMessage());
      return;
    }
    ParseResult sub = parsed.subcommand();
    assertTrue(sub != null, "service " + service + ": '" + String.join(" ", command) + "' names no subcommand");
    while (sub.subcommand() != null) {
      sub = sub.subcommand();
    }
    Set<String> known = new HashSet<>(List.of("SEGSTREAM_CONFIG"));
    known.addAll(AWAITED_VARIABLES);
    for (OptionSpec option : sub.commandSpec().options()) {
      known.add(SettingsDefaultProvider.envNameOf(SettingsDefaultProvider.keyOf(option)));
    }
    for (Map.Entry<String, String> variable : env.entrySet()) {
      if (variable.getKey().startsWith("SEGSTREAM_")) {
        assertTrue(
            known.contains(variable.getKey()),
            "service " + service + ": " + variable.getKey() + " names no option of '" + sub.commandSpec().qualifiedName() + "'");
        OptionSpec option = optionFor(sub, variable.getKey());
        Object value = option == null ? null : option.getValue();
        if (value instanceof java.util.Collection<?> values && values.size() == 1) {
          value = values.iterator().next(); // a repeatable option (ingest --input) given once
        }
        if (option != null && !sub.hasMatchedOption(option) && value != null) {
          assertEquals(variable.getValue(), String.valueOf(value), "service " + service + ": " + variable.getKey() + " reaches the option");
        }
      }
    }
  }

  private static OptionSpec optionFor(ParseResult parsed, String envName) {
    for (OptionSpec option : parsed.commandSpec().options()) {
      if (SettingsDefaultProvider.envNameOf(SettingsDefaultProvider.keyOf(option)).equals(envName)) {
        return option;
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> composeServices() throws IOException {
    try (Reader reader = Files.newBufferedReader(COMPOSE)) {
      Map<String, Object> root = new Yaml().load(reader);
      return (Map<String, Map<String, Object>>) root.get("services");
    }
  }

  private static List<String> command(Map<String, Object> service) {
    List<String> command = new ArrayList<>();
    for (Object part : (List<?>) service.get("command")) {
      command.add(interpolate(String.valueOf(part)));
    }
    return command;
  }

  private static Map<String, String> environment(Map<String, Object> service) {
    Map<String, String> env = new LinkedHashMap<>();
    Object raw = service.get("environment");
    if (raw instanceof Map<?, ?> map) {
      map.forEach((k, v) -> env.put(String.valueOf(k), interpolate(String.valueOf(v))));
    }
    return env;
  }

  /** Compose's {@code ${NAME:-default}} with nothing set: the default. */
  private static String interpolate(String value) {
    Matcher m = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", command) + " failed:\n" + output);
    return output;
  }
}
