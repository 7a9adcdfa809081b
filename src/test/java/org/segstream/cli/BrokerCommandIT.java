package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.kafka.KafkaSettings;

/** {@code segstream broker} as a child JVM from the packaged jar: serves the topics, stops on SIGTERM. */
class BrokerCommandIT {
  private static final Pattern READY =
      Pattern.compile("Kafka broker ready at 127\\.0\\.0\\.1:(\\d+) in (\\d+) ms \\(log dir (\\S+), deleted on exit\\)");

  @TempDir Path outputs;

  @Test
  void servesTheTopicsAndStopsCleanlyOnSigterm() throws Exception {
    Output broker = start("first", "broker", "--port", "0");
    try {
      Matcher ready = broker.awaitOut(READY, Duration.ofSeconds(60));
      int port = Integer.parseInt(ready.group(1));
      Path logDir = Path.of(ready.group(3));
      System.out.printf("segstream broker (child JVM) answering after %s ms on port %d%n", ready.group(2), port);
      assertTrue(Files.isDirectory(logDir));

      try (Admin admin = Admin.create(KafkaSettings.of("127.0.0.1:" + port).adminProperties())) {
        Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        assertTrue(topics.containsAll(List.of("segstream.frames", "segstream.masks", "segstream.frames.dlq")), topics::toString);
      }

      // a second broker on the same port fails with exit code 1 and a message naming the port
      Output clash = start("clash", "broker", "--port", Integer.toString(port));
      try {
        assertTrue(clash.process().waitFor(60, TimeUnit.SECONDS), "the clashing broker gave up");
        assertEquals(ExitCodes.RUNTIME_FAILURE, clash.process().exitValue());
        clash.awaitErr(Pattern.compile("(?m)^segstream: cannot start the embedded Kafka broker on port " + port + ": "),
            Duration.ofSeconds(5));
      } finally {
        clash.process().destroyForcibly();
      }

      broker.process().destroy(); // SIGTERM: the shutdown hook stops the broker, as Ctrl-C does
      assertTrue(broker.process().waitFor(60, TimeUnit.SECONDS), "the broker stopped");
      broker.awaitErr(Pattern.compile("Kafka broker at 127\\.0\\.0\\.1:" + port + " stopped in \\d+ ms"),
          Duration.ofSeconds(5));
      assertFalse(Files.exists(logDir), "the temporary log directory was deleted");
    } finally {
      broker.process().destroyForcibly();
    }
  }

  private Output start(String name, String... args) throws IOException {
    String jar = System.getProperty("segstream.jar", "target/segstream.jar");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar));
    command.addAll(List.of(args));
    // files, not pipes: a pipe read while the child exits can lose its last lines
    Path out = outputs.resolve(name + ".out");
    Path err = outputs.resolve(name + ".err");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    return new Output(process, out, err);
  }

  /** A child process and the files its stdout and stderr go to. */
  private record Output(Process process, Path out, Path err) {
    Matcher awaitOut(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
      return await(out, pattern, timeout);
    }

    Matcher awaitErr(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
      return await(err, pattern, timeout);
    }

    private Matcher await(Path file, Pattern pattern, Duration timeout) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        Matcher m = pattern.matcher(Files.readString(file, StandardCharsets.UTF_8));
        if (m.find()) {
          return m;
        }
        if (System.nanoTime() > deadline) {
          fail("no " + pattern + " in " + file.getFileName() + " within " + timeout + "; stdout:\n"
              + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
        }
        // the child writes when it writes: look again shortly, until the deadline
        Thread.sleep(50);
      }
    }
  }
}
