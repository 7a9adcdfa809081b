package org.segstream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.testing.TestModels;

/**
 * What a user of the packaged jar trips over: {@code process} with its stdout redirected to a file (as a container
 * log or {@code > file} does) shows its "processing ..." line while it is still running, not at exit;
 * with {@code --log-format json} every line on its stderr is a JSON object; {@code --version} prints the pom's
 * version from the jar manifest; the jar carries LICENSE and NOTICE.
 */
class PackagedJarIT {
  private static final Duration READY_WITHIN = Duration.ofSeconds(90);
  /** A line of TensorFlow's native logging (absl), outside Logback: {@code I0000 00:00:1796... 2255 file.cc:401] ...}. */
  private static final Pattern TENSORFLOW_NATIVE_LINE = Pattern.compile(
      "^(?:[IWEF]\\d{4} \\d\\d:\\d\\d:\\d+\\.\\d+ +\\d+ [\\w.]+\\.cc:\\d+\\] "
          + "|WARNING: All log messages before absl::InitializeLog\\(\\) is called are written to STDERR$)");

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @Test
  void versionIsThePomVersion() throws Exception {
    Path out = dir.resolve("version.out");
    Process p = new ProcessBuilder(CrashRecoveryIT.javaBin(), "-jar", CrashRecoveryIT.jar(), "--version")
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "--version ended within 60 s");
    assertEquals(0, p.exitValue(), Files.readString(out));
    String pomVersion = System.getProperty("segstream.version");
    assertTrue(pomVersion != null && !pomVersion.isBlank(), "the build passes the pom's version as segstream.version");
    assertEquals("segstream " + pomVersion, Files.readString(out).strip());
  }

  @Test
  void theJarCarriesItsLicenceAndTheCreditsOfItsModelsData() throws Exception {
    try (JarFile jar = new JarFile(CrashRecoveryIT.jar())) {
      assertEquals(System.getProperty("segstream.version"), jar.getManifest().getMainAttributes().getValue("Implementation-Version"));
      for (String name : List.of("META-INF/LICENSE", "META-INF/NOTICE")) {
        assertTrue(jar.getEntry(name) != null, name + " is in the jar");
      }
      try (var in = jar.getInputStream(jar.getEntry("META-INF/NOTICE"))) {
        String notice = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(notice.contains("Oxford-IIIT Pet") && notice.contains("CC BY-SA 4.0"), notice);
      }
    }
  }

  @Test
  void processPrintsItsStatusLineToAFileWhileRunningAndJsonLogLines() throws Exception {
    Path stdout = dir.resolve("process.out");
    Path stderr = dir.resolve("process.err");
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      ProcessBuilder builder = new ProcessBuilder(
              CrashRecoveryIT.javaBin(), "-Xmx1g", "-jar", CrashRecoveryIT.jar(), "process",
              "--bootstrap-servers", broker.bootstrapServers(),
              "--model", TestModels.tiny().toString(),
              "--refine", "off",
              "--application-id", "status-line-it",
              "--instance-id", "status-line-it",
              "--state-dir", dir.resolve("state").toString(),
              "--log-format", "json");
      // TensorFlow's native library writes its own start-up lines to stderr unless told not to (README says so)
      builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "1");
      Process p = builder
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile())
          .start();
      try {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (!Files.readString(stdout).contains("processing segstream.frames -> segstream.masks")) {
          if (!p.isAlive()) {
            throw new IllegalStateException("process exited " + p.exitValue() + " before its status line reached the file;"
                + " stdout:\n" + Files.readString(stdout) + "\nstderr:\n" + Files.readString(stderr));
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("no status line in the redirected stdout within " + READY_WITHIN
                + "; stdout:\n" + Files.readString(stdout) + "\nstderr:\n" + Files.readString(stderr));
          }
          Thread.sleep(50);
        }
        assertTrue(p.isAlive(), "the line was read while the processor still runs (not flushed at exit)");
        List<String> lines = Files.readAllLines(stdout);
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("Ctrl-C stops")), "the status line is whole: " + lines);
      } finally {
        p.destroy();
        if (!p.waitFor(40, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor();
        }
      }
      // TensorFlow 2.18's native absl logging ignores TF_CPP_MIN_LOG_LEVEL for a line or two; README says so
      List<String> logLines = Files.readAllLines(stderr).stream()
          .filter(l -> !l.isBlank() && !TENSORFLOW_NATIVE_LINE.matcher(l).find())
          .toList();
      ObjectMapper json = new ObjectMapper();
      boolean ours = false;
      for (String line : logLines) {
        JsonNode entry;
        try {
          entry = json.readTree(line);
        } catch (JsonProcessingException e) {
          throw new AssertionError("a stderr line of --log-format json is not JSON: " + line, e);
        }
        assertTrue(entry.hasNonNull("level") && entry.hasNonNull("loggerName") && entry.has("formattedMessage"), line);
        ours |= entry.get("loggerName").asText().startsWith("org.segstream.");
      }
      assertTrue(ours, "Segstream's own log lines are among them: " + logLines);
    }
  }
}
