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
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
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
 * command, flag and SEGSTREAM_* variable it uses exists on the CLI and parses; so does the file merged
 * with its host-network override ({@code docker/compose.host-network.yaml}), whose addresses, ports
 * and broker settings are checked here. {@code deploy.ComposeIT} brings the merged file up.
 */
class ComposeFileTest {
  private static final Path COMPOSE = Path.of("docker/compose.yaml");
  private static final Path HOST_NETWORK = Path.of("docker/compose.host-network.yaml");
  /** The label docker/compose-podman reads: these variables are raised by n - 1 in replica n. */
  private static final String PORT_PER_REPLICA = "org.segstream.compose.port-per-replica";
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

  @Test
  void theHostNetworkOverrideMergesIntoTheSameServicesOnLoopback() throws Exception {
    Map<String, Map<String, Object>> merged = mergedWithHostNetwork();
    assertEquals(new TreeSet<>(composeServices().keySet()), new TreeSet<>(merged.keySet()), "the override adds and drops no service");
    Map<String, String> kafka = environment(merged.get("kafka"));
    assertFalse(String.valueOf(merged.get("kafka").get("image")).startsWith("apache/kafka"), "the broker image built here replaces apache/kafka");
    assertEquals("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093", kafka.get("KAFKA_LISTENERS"));
    assertEquals("PLAINTEXT://127.0.0.1:19092", kafka.get("KAFKA_ADVERTISED_LISTENERS"));
    assertEquals("1@127.0.0.1:19093", kafka.get("KAFKA_CONTROLLER_QUORUM_VOTERS"));
    assertEquals(List.of("CMD", "/opt/kafka/bin/ready", "127.0.0.1:19092"), ((Map<?, ?>) merged.get("kafka").get("healthcheck")).get("test"),
        "the override's health check replaces apache/kafka's script (merged, not appended)");
    assertEquals("false", kafka.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"), "only Segstream creates its topics, with their settings");
    String topics = String.valueOf(merged.get("topics").get("command"));
    assertFalse(topics.contains("kafka-topics.sh --bootstrap-server"), "no apache/kafka script in the broker image built here: " + topics);
    int checked = 0;
    for (Map.Entry<String, Map<String, Object>> service : merged.entrySet()) {
      Map<String, Object> s = service.getValue();
      assertEquals("host", s.get("network_mode"), service.getKey() + " runs on the host network");
      if (isSegstream(service.getKey())) {
        Map<String, String> env = environment(s);
        assertEquals("127.0.0.1:19092", env.get("SEGSTREAM_BOOTSTRAP_SERVERS"), service.getKey() + " reaches the broker's advertised listener");
        if (env.containsKey("SEGSTREAM_METRICS_PORT")) {
          assertEquals("127.0.0.1", env.get("SEGSTREAM_METRICS_HOST"),
              service.getKey() + ": on the host network 0.0.0.0 would be every interface of the machine; loopback unless PUBLISH_HOST opens it");
        }
        checkAgainstCli(service.getKey(), command(s), env);
        checked++;
      }
    }
    assertEquals(5, checked, "process, process-gpu, two ingests and tail run the Segstream image on the host network");
  }

  @Test
  void everyMetricsPortOnTheHostNetworkIsItsOwnEvenScaledOut() throws Exception {
    Map<String, Map<String, Object>> merged = mergedWithHostNetwork();
    Map<Integer, String> taken = new TreeMap<>();
    taken.put(19092, "kafka");
    taken.put(19093, "kafka (controller)");
    for (Map.Entry<String, Map<String, Object>> service : merged.entrySet()) {
      Map<String, String> env = environment(service.getValue());
      if (!env.containsKey("SEGSTREAM_METRICS_PORT")) {
        continue;
      }
      int port = Integer.parseInt(env.get("SEGSTREAM_METRICS_PORT"));
      Object labels = service.getValue().get("labels");
      boolean scalable = labels instanceof Map<?, ?> l && "SEGSTREAM_METRICS_PORT".equals(l.get(PORT_PER_REPLICA));
      // a scaled processor needs no more replicas than the frame partitions it shares
      int replicas = scalable ? Topics.FRAMES.partitions() : 1;
      for (int n = 0; n < replicas; n++) {
        String previous = taken.put(port + n, service.getKey() + " replica " + (n + 1));
        assertTrue(previous == null, "port " + (port + n) + " is both " + previous + " and " + service.getKey() + " replica " + (n + 1));
      }
    }
    assertTrue(String.valueOf(merged.get("process").get("labels")).contains(PORT_PER_REPLICA), "process replicas get a port each");
  }

  @Test
  void theBrokerSettingsOfBothFilesAreValidKafkaConfigurations() throws Exception {
    // apache/kafka's image and docker/kafka/run turn KAFKA_<NAME> into server properties alike
    // log.dirs without KAFKA_LOG_DIRS: apache/kafka's default, and docker/kafka's (its Dockerfile's ENV)
    Properties user = brokerProperties(environment(composeServices().get("kafka")), "/tmp/kraft-combined-logs");
    Properties test = brokerProperties(environment(mergedWithHostNetwork().get("kafka")), "/var/lib/kafka/data");
    for (Properties props : List.of(user, test)) {
      Set<String> known = kafkaConfigNames();
      for (String name : props.stringPropertyNames()) {
        assertTrue(known.contains(name), "KAFKA_ variable for '" + name + "' names no broker setting of Kafka 4.1");
      }
      Object config = Class.forName("kafka.server.KafkaConfig").getMethod("fromProps", Properties.class, boolean.class).invoke(null, props, false);
      assertTrue(config != null);
    }
    assertEquals("/var/lib/kafka/data", user.getProperty("log.dirs"), "apache/kafka keeps its log on the kafka-data volume, not in /tmp");
    assertEquals("/var/lib/kafka/data", test.getProperty("log.dirs"));
    assertEquals(String.valueOf(org.segstream.kafka.EmbeddedBroker.MESSAGE_MAX_BYTES), user.getProperty("message.max.bytes"));
  }

  @Test
  void theBrokerPropertyNamesFollowApacheKafkasRule() {
    assertEquals("node.id", brokerPropertyName("KAFKA_NODE_ID"));
    assertEquals("abc-def", brokerPropertyName("KAFKA_ABC___DEF"));
    assertEquals("abc_def", brokerPropertyName("KAFKA_ABC__DEF"));
    assertEquals("listener.name.external_1.ssl-x", brokerPropertyName("KAFKA_LISTENER_NAME_EXTERNAL__1_SSL___X"));
  }

  private static boolean isSegstream(String service) {
    return !service.equals("kafka") && !service.equals("topics");
  }

  /** Broker properties from KAFKA_* variables, JVM settings left out. */
  private static Properties brokerProperties(Map<String, String> env, String defaultLogDirs) {
    Properties props = new Properties();
    props.setProperty("log.dirs", defaultLogDirs);
    env.forEach((name, value) -> {
      if (name.startsWith("KAFKA_") && !Set.of("KAFKA_HEAP_OPTS", "KAFKA_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS").contains(name)) {
        props.setProperty(brokerPropertyName(name), value);
      }
    });
    return props;
  }

  /** apache/kafka's documented rule, which docker/kafka/run implements: lower case, ___ → -, __ → _, _ → . */
  private static String brokerPropertyName(String variable) {
    String name = variable.substring("KAFKA_".length()).toLowerCase(java.util.Locale.ROOT).replace("___", "-");
    List<String> parts = new ArrayList<>();
    for (String part : name.split("__", -1)) {
      parts.add(part.replace('_', '.'));
    }
    return String.join("_", parts);
  }

  /** Kafka's broker settings; kafka-server is a run-time dependency only, hence reflection. */
  private static Set<String> kafkaConfigNames() throws ReflectiveOperationException {
    Object def = Class.forName("org.apache.kafka.server.config.AbstractKafkaConfig").getField("CONFIG_DEF").get(null);
    return ((org.apache.kafka.common.config.ConfigDef) def).names();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> mergedWithHostNetwork() throws Exception {
    Path tool = SharedData.tool("docker-compose");
    // no variables set: the files' defaults (docker-compose reads the environment, so clear ours)
    ProcessBuilder builder = new ProcessBuilder(tool.toString(), "-f", COMPOSE.toString(), "-f", HOST_NETWORK.toString(), "config")
        .redirectErrorStream(true);
    for (String variable : List.of("KAFKA_PORT", "KAFKA_CONTROLLER_PORT", "PROCESS_METRICS_PORT", "INGEST_METRICS_PORT",
        "CAMERA_METRICS_PORT", "GPU_METRICS_PORT", "PUBLISH_HOST", "SEGSTREAM_IMAGE", "KAFKA_IMAGE", "FRAMES_PARTITIONS")) {
      builder.environment().remove(variable);
    }
    Process p = builder.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "docker-compose config of compose.yaml with compose.host-network.yaml:\n" + output);
    Map<String, Object> root = new Yaml().load(output);
    return (Map<String, Map<String, Object>>) root.get("services");
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
