package org.segstream.process;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.segstream.config.InvalidSettingException;

/**
 * Who a {@code process} instance is to Kafka across restarts. The id becomes the consumer's
 * {@code group.instance.id} (static membership: a restarted instance takes its partitions back
 * without a rebalance wait) and part of the producer's {@code transactional.id} (a restarted
 * instance fences the killed one and aborts its open transaction at once). The state directory is
 * this instance's own, locked while the instance runs.
 *
 * <p>Two live instances with one id fence each other: each must have its own stable id.
 *
 * @param id letters, digits, '.', '_' and '-', at most {@value #MAX_ID_LENGTH} characters
 * @param stateDir the Kafka Streams {@code state.dir} of this instance
 */
public record InstanceIdentity(String id, Path stateDir) {
  public static final int MAX_ID_LENGTH = 100;
  private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_ID_LENGTH + "}");
  private static final Path LINUX_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

  public InstanceIdentity {
    if (id == null || !VALID_ID.matcher(id).matches()) {
      throw new InvalidSettingException("instance-id", "the instance id '" + id + "' must be 1-" + MAX_ID_LENGTH
          + " letters, digits, '.', '_' or '-' (it names the Kafka group member, the transactional id and a directory)");
    }
    if (stateDir == null) {
      throw new InvalidSettingException("state-dir", "no state directory for instance " + id);
    }
  }

  /**
   * The host name, cleaned to the allowed characters: stable across restarts of a process, a
   * container or a Kubernetes StatefulSet pod, and different between machines. Two instances on one
   * host need {@code --instance-id} each.
   */
  public static String defaultId() {
    String host = hostName();
    String cleaned = host.replaceAll("[^A-Za-z0-9._-]", "-");
    if (cleaned.isEmpty()) {
      throw new IllegalStateException("this host has no name to derive an instance id from: give the instance an id (the instance-id setting)");
    }
    return cleaned.length() > MAX_ID_LENGTH ? cleaned.substring(0, MAX_ID_LENGTH) : cleaned;
  }

  /**
   * {@code ~/.cache/segstream/streams/<application-id>/<instance-id>}: beside the model cache, out of
   * the system's temporary directory, which is cleared at boot and by age (a state directory must
   * outlive the process, or Kafka Streams treats the restarted instance as a new one).
   */
  public static Path defaultStateDir(String applicationId, String id) {
    return Path.of(System.getProperty("user.home"), ".cache", "segstream", "streams", applicationId, id);
  }

  private static String hostName() {
    try {
      // the kernel's name needs no DNS lookup (InetAddress may wait on one, or fail offline)
      if (Files.isReadable(LINUX_HOSTNAME)) {
        String name = Files.readString(LINUX_HOSTNAME).strip();
        if (!name.isEmpty()) {
          return name;
        }
      }
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read this host's name (" + e + "): give the instance an id (the instance-id setting)", e);
    }
  }
}
