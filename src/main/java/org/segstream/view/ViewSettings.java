package org.segstream.view;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.segstream.config.InvalidSettingException;

/**
 * How the live view serves: where it listens, the token it asks for, and the bounds on what it holds.
 *
 * @param host an address of this machine; loopback by default. Any other address requires a token
 * @param port 0 picks a free port
 * @param token the token a browser must present ({@code ?token=}, then a cookie), or null on loopback
 * @param maxStreams streams shown at most; later ones are not followed (the {@code --max-streams} cap)
 * @param joinTimeout how long a frame waits for its result before the view gives up on it
 */
public record ViewSettings(String host, int port, String token, int maxStreams, Duration joinTimeout) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofSeconds(10);
  /** The shortest token taken: a guessable one guards nothing. */
  public static final int MIN_TOKEN_CHARS = 16;

  public ViewSettings {
    if (port < 0 || port > 65535) {
      throw new InvalidSettingException("view-port", "view port " + port + ": give 0..65535 (0 picks a free port)");
    }
    if (maxStreams < 1) {
      throw new InvalidSettingException("max-streams", "the view needs a stream cap of at least 1, not " + maxStreams);
    }
    if (joinTimeout.isNegative() || joinTimeout.isZero()) {
      throw new IllegalArgumentException("the join timeout must be positive, not " + joinTimeout);
    }
    if (token != null && token.length() < MIN_TOKEN_CHARS) {
      throw new InvalidSettingException("view-token", "the view token has " + token.length() + " characters: give at least "
          + MIN_TOKEN_CHARS + " (e.g. from `openssl rand -hex 16`)");
    }
    if (token == null && !isLoopback(host)) {
      throw new InvalidSettingException("view-token", "the view is bound to " + host + ", beyond this machine: give "
          + "--view-token TOKEN (at least " + MIN_TOKEN_CHARS + " characters), or bind it to 127.0.0.1");
    }
  }

  /** Loopback, no token, the default stream cap and join timeout. */
  public static ViewSettings local(int port, int maxStreams) {
    return new ViewSettings(DEFAULT_HOST, port, null, maxStreams, DEFAULT_JOIN_TIMEOUT);
  }

  /** Whether the host names this machine's loopback interface only. */
  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new InvalidSettingException("view-host", "view host " + host + " is not a known host name or address: give an "
          + "address of this machine, e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)");
    }
  }
}
