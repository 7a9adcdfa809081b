package org.segstream.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.segstream.config.InvalidSettingException;
import org.segstream.config.Secrets;

/**
 * How to reach a Confluent-compatible Schema Registry, from the client properties every component gets (the
 * command's flags put {@code schema.registry.url} and {@code auto.register.schemas} there, {@code --kafka-config}
 * may add the rest). The keys are the ones Confluent's serializers read:
 *
 * <ul>
 *   <li>{@code schema.registry.url}: the API's base, e.g. {@code http://registry:8081} (Apicurio:
 *       {@code http://registry:8080/apis/ccompat/v7});
 *   <li>{@code basic.auth.user.info}: {@code USER:PASSWORD} for HTTP basic auth;
 *   <li>{@code schema.registry.ssl.truststore.location|password|type} and
 *       {@code schema.registry.ssl.keystore.location|password|type}, {@code schema.registry.ssl.key.password}: TLS;
 *   <li>{@code auto.register.schemas}: register the writer's schema when the subject lacks it (default true);
 *   <li>{@code schema.registry.retry.timeout.ms}: how long a registry that does not answer is retried (default 60 s).
 * </ul>
 *
 * @param userInfo {@code USER:PASSWORD}, or null
 * @param tls TLS settings by key (without the {@code schema.registry.ssl.} prefix), empty for the JVM's defaults
 */
public record SchemaRegistrySettings(
    URI url, String userInfo, Map<String, String> tls, boolean autoRegister, Duration retryTimeout) {
  public static final String URL = "schema.registry.url";
  public static final String USER_INFO = "basic.auth.user.info";
  public static final String AUTO_REGISTER = "auto.register.schemas";
  public static final String RETRY_TIMEOUT_MS = "schema.registry.retry.timeout.ms";
  public static final String TLS_PREFIX = "schema.registry.ssl.";
  public static final Duration DEFAULT_RETRY_TIMEOUT = Duration.ofSeconds(60);

  public SchemaRegistrySettings {
    if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
      throw new InvalidSettingException("schema-registry-url",
          "the schema registry URL must be http:// or https://HOST[:PORT][/PATH], got " + Secrets.maskText(String.valueOf(url)));
    }
    tls = Map.copyOf(tls);
    if (retryTimeout.isNegative()) {
      throw new InvalidSettingException(RETRY_TIMEOUT_MS, "the registry retry timeout must be >= 0 ms");
    }
  }

  /** Settings with no auth, no TLS options, auto-registration on. */
  public static SchemaRegistrySettings of(String url) {
    return new SchemaRegistrySettings(uri(url), null, Map.of(), true, DEFAULT_RETRY_TIMEOUT);
  }

  /**
   * The registry settings among client properties.
   *
   * @throws InvalidSettingException without a URL, or with a malformed one
   */
  public static SchemaRegistrySettings from(Map<?, ?> props) {
    Object url = props.get(URL);
    if (url == null || url.toString().isBlank()) {
      throw new InvalidSettingException("schema-registry-url",
          "the confluent value format needs a schema registry: give --schema-registry-url URL");
    }
    Map<String, String> tls = new TreeMap<>();
    props.forEach((k, v) -> {
      if (k.toString().startsWith(TLS_PREFIX)) {
        tls.put(k.toString().substring(TLS_PREFIX.length()), v.toString());
      }
    });
    Object userInfo = props.get(USER_INFO);
    Object auto = props.get(AUTO_REGISTER);
    Object retry = props.get(RETRY_TIMEOUT_MS);
    Duration retryTimeout = DEFAULT_RETRY_TIMEOUT;
    if (retry != null) {
      try {
        retryTimeout = Duration.ofMillis(Long.parseLong(retry.toString().strip()));
      } catch (NumberFormatException e) {
        throw new InvalidSettingException(RETRY_TIMEOUT_MS, RETRY_TIMEOUT_MS + " must be a number of milliseconds, got " + retry);
      }
    }
    return new SchemaRegistrySettings(uri(url.toString()), userInfo == null ? null : userInfo.toString(), tls,
        auto == null || parseBoolean(AUTO_REGISTER, auto.toString()), retryTimeout);
  }

  /** The value format the properties ask for ({@link ValueFormat#PROPERTY}; single-object when absent). */
  public static ValueFormat formatOf(Map<?, ?> props) {
    Object format = props.get(ValueFormat.PROPERTY);
    return format == null ? ValueFormat.SINGLE_OBJECT : ValueFormat.parse(format.toString());
  }

  /** As client properties, for {@link KafkaSettings#withValueFormat}. */
  public Map<String, String> asProperties() {
    Map<String, String> props = new TreeMap<>();
    props.put(URL, url.toString());
    if (userInfo != null) {
      props.put(USER_INFO, userInfo);
    }
    tls.forEach((k, v) -> props.put(TLS_PREFIX + k, v));
    props.put(AUTO_REGISTER, Boolean.toString(autoRegister));
    props.put(RETRY_TIMEOUT_MS, Long.toString(retryTimeout.toMillis()));
    return props;
  }

  static boolean parseBoolean(String key, String value) {
    return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new InvalidSettingException(key.equals(AUTO_REGISTER) ? "schema-registry-auto-register" : key,
          key + " must be true or false, got " + value);
    };
  }

  private static URI uri(String text) {
    try {
      URI uri = new URI(text.strip());
      // the API paths are appended to the base
      return uri.getPath() != null && uri.getPath().endsWith("/") ? new URI(text.strip().replaceAll("/+$", "")) : uri;
    } catch (URISyntaxException e) {
      throw new InvalidSettingException("schema-registry-url",
          "the schema registry URL is malformed (" + Secrets.maskText(e.getMessage()) + "): give http(s)://HOST:PORT[/PATH]");
    }
  }

  /** The TLS context the settings describe, or null for the JVM's defaults. */
  SSLContext sslContext() {
    if (tls.isEmpty()) {
      return null;
    }
    try {
      TrustManagerFactory trust = null;
      String trustStore = tls.get("truststore.location");
      if (trustStore != null) {
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(trustStore, tls.get("truststore.type"), tls.get("truststore.password"), "truststore"));
      }
      KeyManagerFactory keys = null;
      String keyStore = tls.get("keystore.location");
      if (keyStore != null) {
        String storePassword = tls.get("keystore.password");
        String keyPassword = tls.getOrDefault("key.password", storePassword);
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keyStore, tls.get("keystore.type"), storePassword, "keystore"),
            keyPassword == null ? null : keyPassword.toCharArray());
      }
      SSLContext context = SSLContext.getInstance(tls.getOrDefault("protocol", "TLS"));
      context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new InvalidSettingException(TLS_PREFIX + "*", "cannot set up TLS for the schema registry: " + e.getMessage());
    }
  }

  private static KeyStore load(String location, String type, String password, String what) {
    try (InputStream in = Files.newInputStream(Path.of(location))) {
      KeyStore store = KeyStore.getInstance(type == null ? KeyStore.getDefaultType() : type);
      store.load(in, password == null ? null : password.toCharArray());
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new InvalidSettingException(TLS_PREFIX + what + ".location",
          "cannot read the schema registry " + what + " " + location + " (" + e.getMessage()
              + "): give a readable store of the type set by " + TLS_PREFIX + what + ".type, and its password");
    }
  }

  /** One line for logs; secrets masked. */
  public String describe() {
    StringBuilder line = new StringBuilder(URL + "=" + Secrets.maskText(url.toString()));
    if (userInfo != null) {
      line.append(", ").append(USER_INFO).append('=').append(Secrets.MASK);
    }
    tls.forEach((k, v) -> line.append(", ").append(TLS_PREFIX).append(k).append('=').append(Secrets.maskSetting(TLS_PREFIX + k, v)));
    line.append(", ").append(AUTO_REGISTER).append('=').append(autoRegister);
    return line.toString();
  }

  @Override
  public String toString() {
    return "SchemaRegistrySettings[" + describe() + "]";
  }
}
