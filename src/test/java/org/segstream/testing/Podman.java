package org.segstream.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Debian's podman, as the container tests drive it: with {@code docker/podman/containers.conf}
 * (runc, cgroupfs, rlimits this machine kind allows) and the host network. Absent podman → the test
 * is skipped, unless {@code SEGSTREAM_REQUIRE_ALL=1}.
 *
 * <p>The images come from {@code docker/podman-images.sh}, which reuses them while their inputs
 * (the Dockerfile, target/segstream.jar and lib/, the Debian base) are unchanged.
 */
public final class Podman {
  private static final Path CONTAINERS_CONF = Path.of("docker/podman/containers.conf").toAbsolutePath();
  private static final Path IMAGES_SCRIPT = Path.of("docker/podman-images.sh").toAbsolutePath();
  /** Building the Debian base (debootstrap) and the image on a busy machine. */
  private static final Duration IMAGE_BUILD_TIMEOUT = Duration.ofMinutes(30);
  private static String segstreamImage;
  private static String kafkaImage;

  /** What a podman command printed (stdout and stderr together) and its exit code. */
  public record Result(int exitCode, String output) {}

  private final String podman;

  private Podman(String podman) {
    this.podman = podman;
  }

  /** Podman with runc, and debootstrap to make the base image; skips (or fails in CI) when absent. */
  public static Podman require() {
    Path podman = SharedData.tool("podman");
    SharedData.tool("runc");
    SharedData.tool("debootstrap");
    return new Podman(podman.toString());
  }

  /** The Segstream image of target/ (built on first use in this JVM, or reused by its content hash). */
  public synchronized String segstreamImage() {
    if (segstreamImage == null) {
      segstreamImage = buildImage("segstream");
    }
    return segstreamImage;
  }

  /**
   * The broker image of docker/kafka (Apache Kafka's jars of the Segstream image, run by Kafka's own
   * main classes), built on {@link #segstreamImage()} on first use in this JVM or reused by its hash.
   */
  public synchronized String kafkaImage() {
    if (kafkaImage == null) {
      kafkaImage = buildImage("kafka");
    }
    return kafkaImage;
  }

  private static String buildImage(String which) {
    Result built = exec(List.of(IMAGES_SCRIPT.toString(), which), Map.of(), IMAGE_BUILD_TIMEOUT);
    if (built.exitCode() != 0) {
      fail(IMAGES_SCRIPT + " " + which + " exited " + built.exitCode() + ":\n" + built.output());
    }
    String[] lines = built.output().strip().split("\n");
    System.out.println(built.output().strip());
    return lines[lines.length - 1].strip();
  }

  /** A script that drives podman (docker/compose-podman), with podman's settings and {@code env} added. */
  public Result runScript(Duration timeout, Map<String, String> env, List<String> command) {
    return exec(command, env, timeout);
  }

  /** {@code podman ARGS}. */
  public Result run(Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of(podman));
    command.addAll(List.of(args));
    return exec(command, Map.of(), timeout);
  }

  /** {@code podman ARGS}, failing the test unless it exits 0; returns its output. */
  public String check(Duration timeout, String... args) {
    Result r = run(timeout, args);
    if (r.exitCode() != 0) {
      fail("podman " + String.join(" ", args) + " exited " + r.exitCode() + ":\n" + r.output());
    }
    return r.output();
  }

  /** A name unique to this run, so tests on one machine do not meet: {@code segstream-it-<hex>-<what>}. */
  public static String uniqueName(String what) {
    return "segstream-it-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL) + "-" + what;
  }

  /** The container's exit code (it must have stopped). */
  public int exitCode(String container) {
    return Integer.parseInt(lastLine(check(Duration.ofSeconds(30), "inspect", "--format", "{{.State.ExitCode}}", container)));
  }

  /** Waits until the container stops and returns its exit code. */
  public int await(String container, Duration timeout) {
    return Integer.parseInt(lastLine(check(timeout, "wait", container)));
  }

  /** The container's state: created, running, exited... */
  public String state(String container) {
    return lastLine(check(Duration.ofSeconds(30), "inspect", "--format", "{{.State.Status}}", container));
  }

  /** Podman without systemd logs errors about health-check timers before the answer: skip them. */
  private static String lastLine(String output) {
    String[] lines = output.strip().split("\n");
    return lines[lines.length - 1].strip();
  }

  /** Its log (stdout and stderr), for assertions and failure messages. */
  public String logs(String container) {
    return run(Duration.ofSeconds(30), "logs", container).output();
  }

  /** Removes containers and volumes, whatever state they are in; for finally blocks. */
  public void removeQuietly(List<String> containers, List<String> volumes) {
    for (String c : containers) {
      run(Duration.ofSeconds(60), "rm", "--force", "--time", "5", c);
    }
    for (String v : volumes) {
      run(Duration.ofSeconds(30), "volume", "rm", "--force", v);
    }
  }

  private static Result exec(List<String> command, Map<String, String> extraEnv, Duration timeout) {
    Path output = null;
    try {
      output = Files.createTempFile("segstream-podman-", ".log");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
      Map<String, String> env = builder.environment();
      env.put("CONTAINERS_CONF", CONTAINERS_CONF.toString());
      env.putAll(extraEnv);
      Process p = builder.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor();
        fail(String.join(" ", command) + " did not finish within " + timeout + ":\n" + Files.readString(output));
      }
      return new Result(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      fail("cannot run " + String.join(" ", command) + ": " + e.getMessage());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted while running " + String.join(" ", command));
      return null;
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          // a temporary file left behind; nothing to act on
        }
      }
    }
  }
}
