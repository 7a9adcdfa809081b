package org.segstream.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.segstream.config.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small client of the Confluent Schema Registry REST API (which Confluent's registry, Apicurio's
 * {@code /apis/ccompat/v7} and Karapace serve): look up and register a subject's schema, set and check its
 * compatibility, fetch a schema by id. Schemas by id are cached (at most {@value #MAX_CACHED_SCHEMAS}, least
 * recently used first out: ids are immutable, so a cached one is never stale).
 *
 * <p>A registry that does not answer (connection refused, timeout, HTTP 5xx or 429) is retried with back-off
 * for {@link SchemaRegistrySettings#retryTimeout()}, each retry logged; then {@link Unavailable} is thrown, which
 * is deliberately no deserialisation error: a record is never dead-lettered because the registry was down.
 * Thread-safe.
 */
public final class SchemaRegistryClient {
  private static final Logger log = LoggerFactory.getLogger(SchemaRegistryClient.class);
  static final int MAX_CACHED_SCHEMAS = 1000;
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  /** Confluent's error code for a schema not found. */
  private static final int SCHEMA_NOT_FOUND = 40403;

  /** The registry did not answer within the retry timeout. Not a {@code SerializationException}, on purpose. */
  public static final class Unavailable extends RuntimeException {
    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The registry answered, but refused or does not hold what was asked for. */
  public static final class RegistryException extends RuntimeException {
    private final int status;
    private final int errorCode;

    RegistryException(String message, int status, int errorCode) {
      super(message);
      this.status = status;
      this.errorCode = errorCode;
    }

    public int status() {
      return status;
    }

    public int errorCode() {
      return errorCode;
    }
  }

  private final SchemaRegistrySettings settings;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final String authorization;
  private final Map<Integer, Schema> byId =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Schema> eldest) {
          return size() > MAX_CACHED_SCHEMAS;
        }
      };

  public SchemaRegistryClient(SchemaRegistrySettings settings) {
    this.settings = settings;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT);
    SSLContext ssl = settings.sslContext();
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    this.http = builder.build();
    this.authorization = settings.userInfo() == null ? null
        : "Basic " + Base64.getEncoder().encodeToString(settings.userInfo().getBytes(StandardCharsets.UTF_8));
  }

  public SchemaRegistrySettings settings() {
    return settings;
  }

  /** The registry's URL as it may be printed. */
  public String where() {
    return Secrets.maskText(settings.url().toString());
  }

  /**
   * The schema of an id.
   *
   * @throws RegistryException when the registry has no such id (HTTP 404), or it is no Avro schema
   */
  public Schema schemaById(int id) {
    synchronized (byId) {
      Schema cached = byId.get(id);
      if (cached != null) {
        return cached;
      }
    }
    JsonNode body = call("GET", "/schemas/ids/" + id, null, "the schema of id " + id);
    String type = body.path("schemaType").asText("AVRO");
    if (!type.equals("AVRO")) {
      throw new RegistryException("schema id " + id + " at " + where() + " is a " + type + " schema, not Avro", 200, 0);
    }
    Schema schema = parse(body.path("schema").asText(), "schema id " + id);
    synchronized (byId) {
      byId.put(id, schema);
    }
    return schema;
  }

  /** The id of {@code schema} under {@code subject}, when the subject holds it. */
  public Optional<Integer> lookup(String subject, Schema schema) {
    try {
      JsonNode body = call("POST", "/subjects/" + encode(subject) + "?normalize=false", schemaRequest(schema),
          "the schema of subject " + subject);
      return Optional.of(body.path("id").asInt());
    } catch (RegistryException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Registers {@code schema} under {@code subject} (a no-op when it is there) and returns its id. */
  public int register(String subject, Schema schema) {
    try {
      JsonNode body = call("POST", "/subjects/" + encode(subject) + "/versions", schemaRequest(schema),
          "registering the schema of subject " + subject);
      return body.path("id").asInt();
    } catch (RegistryException e) {
      // two writers creating a subject at once (run's sources): Apicurio answers the later one 409 "already
      // exists"; when the subject now holds this very schema, that is a success
      if (e.status() == 409) {
        Optional<Integer> id = lookup(subject, schema);
        if (id.isPresent()) {
          return id.get();
        }
      }
      throw e;
    }
  }

  /** Whether the subject has any version. */
  public boolean exists(String subject) {
    try {
      call("GET", "/subjects/" + encode(subject) + "/versions", null, "the versions of subject " + subject);
      return true;
    } catch (RegistryException e) {
      if (e.status() == 404) {
        return false;
      }
      throw e;
    }
  }

  /** Sets the subject's compatibility level ({@code BACKWARD}...). */
  public void setCompatibility(String subject, String level) {
    try {
      call("PUT", "/config/" + encode(subject), "{\"compatibility\":\"" + level + "\"}",
          "setting the compatibility of subject " + subject);
    } catch (RegistryException e) {
      // two writers creating a subject at once: Apicurio answers the later one 409 "a rule named COMPATIBILITY
      // already exists"; when the subject now has this very level, that is a success
      if (e.status() != 409 || !compatibility(subject).map(level::equalsIgnoreCase).orElse(false)) {
        throw e;
      }
    }
  }

  /** The subject's own compatibility level, or empty when it has none (the registry's global one applies). */
  public Optional<String> compatibility(String subject) {
    try {
      JsonNode body = call("GET", "/config/" + encode(subject), null, "the compatibility of subject " + subject);
      String level = body.path("compatibilityLevel").asText(body.path("compatibility").asText(""));
      return level.isEmpty() ? Optional.empty() : Optional.of(level);
    } catch (RegistryException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Whether {@code schema} may be registered after the subject's latest version under its compatibility level. */
  public boolean isCompatible(String subject, Schema schema) {
    JsonNode body = call("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest",
        schemaRequest(schema), "the compatibility check of subject " + subject);
    return body.path("is_compatible").asBoolean(false);
  }

  private String schemaRequest(Schema schema) {
    try {
      return json.writeValueAsString(Map.of("schema", schema.toString(), "schemaType", "AVRO"));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a schema request", e);
    }
  }

  /** One request, retried with back-off while the registry does not answer. */
  private JsonNode call(String method, String path, String body, String what) {
    URI uri = URI.create(settings.url() + path);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
        .header("Accept", CONTENT_TYPE + ", application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", CONTENT_TYPE);
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    long deadline = System.nanoTime() + settings.retryTimeout().toNanos();
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 1; ; attempt++) {
      String failure;
      Exception cause = null;
      try {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status / 100 == 2) {
          if (attempt > 1) {
            log.info("schema registry at {} answers again ({})", where(), what);
          }
          return response.body().isBlank() ? json.nullNode() : json.readTree(response.body());
        }
        if (status < 500 && status != 429) {
          throw refused(status, response.body(), what);
        }
        failure = "HTTP " + status;
      } catch (IOException e) {
        failure = e.toString();
        cause = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Unavailable("interrupted while asking the schema registry at " + where() + " for " + what, e);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new Unavailable("the schema registry at " + where() + " did not answer (" + Secrets.maskText(failure)
            + ") for " + settings.retryTimeout().toSeconds() + " s while asking for " + what
            + ": is it up and the URL right? Stopping rather than dead-lettering; nothing is lost, the record is "
            + "read again when the command restarts", cause);
      }
      long pause = Math.min(backoff.toNanos(), left);
      log.warn("schema registry at {} did not answer ({}) asking for {}: retrying in {} ms (attempt {}, giving up "
          + "after {} s)", where(), Secrets.maskText(failure), what, pause / 1_000_000, attempt,
          settings.retryTimeout().toSeconds());
      LockSupport.parkNanos(pause);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new Unavailable("interrupted while waiting for the schema registry at " + where(), cause);
      }
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }
  }

  private RegistryException refused(int status, String body, String what) {
    int code = 0;
    String message = body;
    try {
      JsonNode error = json.readTree(body);
      code = error.path("error_code").asInt(0);
      message = error.path("message").asText(body);
    } catch (JsonProcessingException e) {
      // not JSON: the body as it is
    }
    if (status == 401 || status == 403) {
      message = message + " (check " + SchemaRegistrySettings.USER_INFO + " in the Kafka client settings file)";
    }
    String shown = DeadLetters.abbreviate(Secrets.maskText(message), 500);
    return new RegistryException(
        "the schema registry at " + where() + " refused " + what + ": HTTP " + status
            + (code != 0 ? " error " + code : "") + ": " + shown,
        status, code == 0 && status == 404 ? SCHEMA_NOT_FOUND : code);
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static Schema parse(String text, String what) {
    try {
      return new Schema.Parser().parse(text);
    } catch (SchemaParseException e) {
      throw new RegistryException("the registry's " + what + " is no valid Avro schema: " + e.getMessage(), 200, 0);
    }
  }
}
