package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code processing.guarantee} in {@code --kafka-config} cannot switch exactly-once off unnoticed:
 * {@code process} and {@code run} refuse it (exit 2) before connecting, unless {@code
 * --allow-at-least-once} asks for it, and then say so in one line.
 */
class GuaranteeOptionTest {
  @TempDir Path dir;

  private record Outcome(int code, String out, String err) {}

  private Outcome execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SegstreamCli.execute(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Outcome(code, out.toString(), err.toString());
  }

  private Path kafkaConfig(String guarantee) throws Exception {
    return Files.writeString(dir.resolve("client.properties"), "processing.guarantee=" + guarantee + "\nsession.timeout.ms=6000\n");
  }

  @Test
  void processRefusesAtLeastOnceFromTheKafkaConfigWithoutTheFlag() throws Exception {
    Path file = kafkaConfig("at_least_once");
    // nothing listens on port 1: the refusal comes before any connection
    Outcome o = execute("process", "--print-config", "--bootstrap-servers", "127.0.0.1:1", "--kafka-config", file.toString());
    assertEquals(ExitCodes.USAGE, o.code(), o.err());
    assertEquals("", o.out(), "nothing printed as if the configuration were fine");
    String message = o.err().lines().findFirst().orElse("");
    assertTrue(message.contains("processing.guarantee=at_least_once"), message);
    assertTrue(message.contains(file.toString()), "names the file: " + message);
    assertTrue(message.contains("--allow-at-least-once"), "names the flag: " + message);
  }

  @Test
  void theFlagAllowsItAndTheProcessorSaysSoInOneLine() throws Exception {
    Path file = kafkaConfig("at_least_once");
    Outcome o = execute("process", "--print-config", "--allow-at-least-once", "--bootstrap-servers", "127.0.0.1:1",
        "--kafka-config", file.toString());
    assertEquals(0, o.code(), o.err());
    List<String> warnings = new ArrayList<>(o.err().lines().filter(l -> l.contains("warning")).toList());
    assertEquals(1, warnings.size(), o.err());
    assertTrue(warnings.get(0).contains("processing.guarantee=at_least_once") && warnings.get(0).contains("exactly-once is off"),
        warnings.get(0));
    assertTrue(o.out().contains("\nprocessing.guarantee=at_least_once\n"), o.out());
  }

  @Test
  void exactlyOnceInTheFileNeedsNoFlagAndPrintsNoWarning() throws Exception {
    Path file = kafkaConfig("exactly_once_v2");
    Outcome o = execute("process", "--print-config", "--bootstrap-servers", "127.0.0.1:1", "--kafka-config", file.toString());
    assertEquals(0, o.code(), o.err());
    assertEquals("", o.err());
    assertTrue(o.out().contains("\nprocessing.guarantee=exactly_once_v2\n"), o.out());
  }

  @Test
  void aGuaranteeKafkaStreamsDoesNotKnowIsAUsageErrorEvenWithTheFlag() throws Exception {
    Path file = kafkaConfig("exactly_once");
    Outcome o = execute("process", "--print-config", "--allow-at-least-once", "--bootstrap-servers", "127.0.0.1:1",
        "--kafka-config", file.toString());
    assertEquals(ExitCodes.USAGE, o.code(), o.err());
    assertTrue(o.err().contains("processing.guarantee=exactly_once in --kafka-config " + file), o.err());
  }

  @Test
  void runRefusesItToo() throws Exception {
    Path file = kafkaConfig("at_least_once");
    Outcome o = execute("run", "--input", "rtsp://127.0.0.1:1/cam", "--bootstrap-servers", "127.0.0.1:1",
        "--kafka-config", file.toString());
    assertEquals(ExitCodes.USAGE, o.code(), o.err());
    assertTrue(o.err().contains("processing.guarantee=at_least_once in --kafka-config " + file)
        && o.err().contains("--allow-at-least-once"), o.err());
  }
}
