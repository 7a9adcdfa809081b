package org.segstream.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The nasty values of issue 13, each with exactly what may be printed; texts without secrets stay as they are. */
class SecretsTest {
  private static final String PEM_KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n"
      + "VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNb\n-----END PRIVATE KEY-----";

  static Stream<Arguments> texts() {
    return Stream.of(
        // userinfo: all of it, wherever the password's odd characters put the '@'
        row("rtsp://admin:hunter2@cam.local/stream", "rtsp://***@cam.local/stream"),
        row("rtsp://admin:p/w@x@cam/1", "rtsp://***@cam/1"),
        row("rtsp://u:p@h@h2/live", "rtsp://***@h2/live"),
        row("http://u:p%40ss@10.0.0.1:8080/x.mjpg", "http://***@10.0.0.1:8080/x.mjpg"),
        row("rtsp://admin:secret%40cam/1", "rtsp://***%40cam/1"),
        row("rtsp://TOKEN-4f9a2c@cam/", "rtsp://***@cam/"),
        row("rtsp://admin:pw@[fe80::1]:554/live", "rtsp://***@[fe80::1]:554/live"),
        row("SASL_SSL://u:p/w@broker:9093", "SASL_SSL://***@broker:9093"),
        row("SASL_SSL://u:p1@b1:9093,SASL_SSL://u:p2@b2:9093", "SASL_SSL://***@b1:9093,SASL_SSL://***@b2:9093"),
        // secret query, fragment and path parameters; the others stay
        row("https://cdn.example/live.m3u8?token=abc123", "https://cdn.example/live.m3u8?token=***"),
        row("https://bucket.s3.amazonaws.com/seg.m3u8?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAEXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z"
                + "&X-Amz-Expires=3600&X-Amz-Security-Token=FwoGZXIvYXdzE&X-Amz-SignedHeaders=host&X-Amz-Signature=deadbeef",
            "https://bucket.s3.amazonaws.com/seg.m3u8?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=***"
                + "&X-Amz-Date=20260101T000000Z&X-Amz-Expires=3600&X-Amz-Security-Token=***&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=***"),
        row("https://d1.cloudfront.net/s.m3u8?Policy=eyJTdGF0&Signature=abc~def&Key-Pair-Id=APKAEXAMPLE",
            "https://d1.cloudfront.net/s.m3u8?Policy=***&Signature=***&Key-Pair-Id=APKAEXAMPLE"),
        row("https://acct.blob.core.windows.net/c/v.mp4?sv=2022-11-02&se=2026-01-01&sp=r&sig=abc%2Bdef%3D",
            "https://acct.blob.core.windows.net/c/v.mp4?sv=2022-11-02&se=2026-01-01&sp=r&sig=***"),
        row("http://cam/api?access_token=xyz&api_key=k1&key=k2&apikey=k3&fps=5",
            "http://cam/api?access_token=***&api_key=***&key=***&apikey=***&fps=5"),
        row("rtsp://cam/stream?user=admin&password=hunter2", "rtsp://cam/stream?user=admin&password=***"),
        row("https://idp.example/cb#access_token=xyz&state=1", "https://idp.example/cb#access_token=***&state=1"),
        // a value runs to '&', ';' or '#' ('?' is legal in a value): what follows a path parameter goes with it
        row("http://cam/video;jsessionid=ABC123?x=1", "http://cam/video;jsessionid=***"),
        row("retrying https://cdn/a.m3u8?token=abc. Then https://cdn/b.m3u8?x=1.", "retrying https://cdn/a.m3u8?token=***. Then https://cdn/b.m3u8?x=1."),
        row("http://cdn/a.m3u8?hdnts=exp=1~acl=/*~hmac=ab12", "http://cdn/a.m3u8?hdnts=***"),
        // a percent-encoded URI with credentials, as a parameter or in a message
        row("http://proxy/play?src=rtsp%3A%2F%2Fadmin%3Asecret%40cam%2F1&fps=5", "http://proxy/play?src=***&fps=5"),
        row("redirect to rtsp%3A%2F%2Fadmin%3Asecret%40cam%2F1 failed", "redirect to *** failed"),
        row("redirect to rtsp%253A%252F%252Fadmin%253Asecret%2540cam failed", "redirect to *** failed"),
        // inside longer messages: exceptions, FFmpeg and picocli, Kafka
        row("cannot open rtsp://a:pw1@cam1/x nor http://b:pw2@cam2/y?sig=s3, giving up",
            "cannot open rtsp://***@cam1/x nor http://***@cam2/y?sig=***, giving up"),
        row("Could not open input \"rtsp://admin:secret@cam/1\" (error -111)", "Could not open input \"rtsp://***@cam/1\" (error -111)"),
        row("Unknown options: '--inptu', 'rtsp://admin:secret@cam/1'", "Unknown options: '--inptu', 'rtsp://***@cam/1'"),
        row("Invalid url in bootstrap.servers: u:p/w@broker:9093", "Invalid url in bootstrap.servers: ***@broker:9093"),
        row("Couldn't resolve server [u:pw@b1:9093, u:pw@b2:9093]", "Couldn't resolve server [***@b1:9093, ***@b2:9093]"),
        row("PlainLoginModule required username=\"u\" password=\"hunter2\";",
            "PlainLoginModule required username=\"u\" password=\"***\";"),
        row("sasl.jaas.config=org.example.Login required;", "sasl.jaas.config=*** required;"),
        row("{\"input\": \"x\", \"password\": \"hunter2\", \"api_key\":\"k\"}",
            "{\"input\": \"x\", \"password\": \"***\", \"api_key\":\"***\"}"),
        row("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc", "Authorization: Bearer ***"),
        // PEM private keys, whole, cut off, or as a setting's value
        row("ssl.keystore.key=" + PEM_KEY + "\nnext line", "ssl.keystore.key=***\nnext line"),
        row("value: -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA", "value: ***"),
        row("-----BEGIN ENCRYPTED PRIVATE KEY-----MIIFHDBO-----END ENCRYPTED PRIVATE KEY----- ok", "*** ok"),
        // nothing secret: unchanged, so a masker that masks everything fails too
        row("rtsp://cam.local:554/stream", "rtsp://cam.local:554/stream"),
        row("https://cdn.example/live.m3u8?quality=high&fps=30", "https://cdn.example/live.m3u8?quality=high&fps=30"),
        row("SASL_SSL://broker1:9093,SASL_SSL://broker2:9093", "SASL_SSL://broker1:9093,SASL_SSL://broker2:9093"),
        row("http://[::1]:8080/health/ready", "http://[::1]:8080/health/ready"),
        row("/videos/cat.mp4", "/videos/cat.mp4"),
        row("camera:0", "camera:0"),
        row("127.0.0.1:9092", "127.0.0.1:9092"),
        row("ops@example.com reported it", "ops@example.com reported it"),
        row("processing.guarantee=exactly_once_v2 sasl.mechanism=PLAIN", "processing.guarantee=exactly_once_v2 sasl.mechanism=PLAIN"),
        row("ssl.keystore.certificate.chain=-----BEGIN CERTIFICATE-----MIIB-----END CERTIFICATE-----",
            "ssl.keystore.certificate.chain=-----BEGIN CERTIFICATE-----MIIB-----END CERTIFICATE-----"),
        row("at org.segstream.Foo.bar(Foo.java:12) while the token expired",
            "at org.segstream.Foo.bar(Foo.java:12) while the token expired"),
        row("Node -1 (127.0.0.1:9092) disconnected", "Node -1 (127.0.0.1:9092) disconnected"));
  }

  private static Arguments row(String raw, String masked) {
    return Arguments.of(raw, masked);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("texts")
  void masksExactlyTheSecrets(String raw, String masked) {
    assertEquals(masked, Secrets.maskText(raw));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("texts")
  void maskingTwiceChangesNothing(String raw, String masked) {
    assertEquals(masked, Secrets.maskText(masked));
  }

  /** Valid URIs: the java.net.URI reading and the tolerant scanner agree. */
  @ParameterizedTest
  @MethodSource("texts")
  void javaNetUriAndTheScannerAgreeOnValidUris(String raw, String masked) {
    if (!raw.matches("(?i)[a-z][a-z0-9+._-]*://\\S*") || raw.contains(",")) {
      return; // not a single URI
    }
    try {
      new URI(raw).parseServerAuthority();
    } catch (java.net.URISyntaxException e) {
      assertEquals(masked, Secrets.scanUri(raw), "the scanner alone handles what java.net.URI refuses");
      return;
    }
    assertEquals(Secrets.scanUri(raw), Secrets.maskUri(raw));
  }

  static Stream<Arguments> settings() {
    return Stream.of(
        Arguments.of("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"x\";", "***"),
        Arguments.of("ssl.keystore.key", PEM_KEY, "***"),
        Arguments.of("ssl.key.password", "x", "***"),
        Arguments.of("ssl.keystore.password", "x", "***"),
        Arguments.of("ssl.truststore.password", "x", "***"),
        Arguments.of("basic.auth.user.info", "u:p", "***"),
        Arguments.of("schema.registry.basic.auth.user.info", "u:p", "***"),
        Arguments.of("sasl.oauthbearer.client.credentials.client.secret", "s", "***"),
        Arguments.of("sasl.oauthbearer.assertion.private.key.passphrase", "s", "***"),
        Arguments.of("sasl.login.token", "t", "***"),
        Arguments.of("my.client.secret", "s", "***"),
        Arguments.of("any.setting.at.all", PEM_KEY, "***"),
        Arguments.of("ssl.keystore.certificate.chain", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"),
        Arguments.of("ssl.truststore.certificates", "-----BEGIN CERTIFICATE-----MIIB-----END CERTIFICATE-----",
            "-----BEGIN CERTIFICATE-----MIIB-----END CERTIFICATE-----"),
        Arguments.of("sasl.mechanism", "PLAIN", "PLAIN"),
        Arguments.of("security.protocol", "SASL_SSL", "SASL_SSL"),
        Arguments.of("bootstrap.servers", "SASL_SSL://u:p/w@broker:9093", "SASL_SSL://***@broker:9093"),
        Arguments.of("bootstrap-servers", "TOKEN@broker:9093,broker2:9093", "***@broker:9093,broker2:9093"),
        Arguments.of("bootstrap.servers", "u:p,w@b1:9093", "***@b1:9093"),
        Arguments.of("bootstrap.servers", "127.0.0.1:9092", "127.0.0.1:9092"),
        Arguments.of("input", "rtsp://admin:pw@cam/1?token=t", "rtsp://***@cam/1?token=***"),
        Arguments.of("schema.registry.url", "https://u:p@registry:8081", "https://***@registry:8081"),
        Arguments.of("batch-size", "8", "8"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("settings")
  void settingsAreMaskedByNameAndByValue(String key, String value, String shown) {
    assertEquals(shown, Secrets.maskSetting(key, value));
  }

  static Stream<Arguments> commandLines() {
    return Stream.of(
        Arguments.of(List.of("ingest", "--inptu", "rtsp://admin:secret@cam/1"), List.of("ingest", "--inptu", "rtsp://***@cam/1")),
        Arguments.of(List.of("x", "--password", "hunter2", "--batch-size", "4"), List.of("x", "--password", "***", "--batch-size", "4")),
        Arguments.of(List.of("--api-key=abc", "--input=rtsp://u:p@c/1"), List.of("--api-key=***", "--input=rtsp://***@c/1")),
        Arguments.of(List.of("process", "--batch-size", "4"), List.of("process", "--batch-size", "4")));
  }

  @ParameterizedTest
  @MethodSource("commandLines")
  void commandLinesAreMaskedArgumentByArgument(List<String> args, List<String> shown) {
    assertEquals(shown, Secrets.maskArgs(args));
  }

  @Test
  void aParseErrorQuotingABareSecretArgumentIsMasked() {
    List<String> args = List.of("ingest", "--pasword", "hunter2");
    assertEquals("Unknown options: '--pasword', '***'", Secrets.maskMessage("Unknown options: '--pasword', 'hunter2'", args));
  }

  @Test
  void stackTracesAreMaskedLineByLine() {
    Exception e = new IllegalStateException("cannot open rtsp://admin:hunter2@cam/1",
        new RuntimeException("Invalid url in bootstrap.servers: SASL_SSL://u:p/w@broker"));
    String trace = Secrets.maskStackTrace(e, List.of());
    assertTrue(trace.contains("rtsp://***@cam/1") && trace.contains("SASL_SSL://***@broker"), trace);
    assertFalse(trace.contains("hunter2") || trace.contains("p/w"), trace);
    assertTrue(trace.contains("at org.segstream.config.SecretsTest"), "the frames stay: " + trace);
  }

  /** Log lines and outputs can be long: a megabyte without whitespace must not take quadratic time. */
  @Test
  void aLongLineWithoutWhitespaceIsMaskedQuickly() {
    String[] pieces = {"a:b=", "x@y,", "k=v&", "rtsp://h/p?token=t;", "%3A%2F%2F", "u:p@"};
    StringBuilder line = new StringBuilder();
    for (int i = 0; line.length() < (1 << 20); i++) {
      line.append(pieces[i % pieces.length]);
    }
    String text = line.toString();
    String masked = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
        () -> Secrets.maskText(text)); // quadratic would be minutes
    assertFalse(masked.contains("token=t;"), "the tokens are masked");
  }

  @Test
  void nullAndEmptyPassThrough() {
    assertEquals(null, Secrets.maskText(null));
    assertEquals("", Secrets.maskText(""));
    assertEquals(null, Secrets.maskSetting("x", null));
    assertDoesNotThrow(() -> Secrets.maskText("rtsp://"));
    assertEquals("rtsp://", Secrets.maskText("rtsp://"));
    assertEquals("rtsp://@cam", Secrets.maskText("rtsp://@cam"));
  }

  @Test
  void aWriterMasksWhatPassesThroughIt() {
    StringWriter sink = new StringWriter();
    try (PrintWriter out = new PrintWriter(new SecretMaskingWriter(sink), true)) {
      out.print("opening rtsp://admin:");
      out.println("hunter2@cam/1"); // one line written in two pieces
      out.println("ssl.keystore.key=" + PEM_KEY.lines().findFirst().orElseThrow());
      PEM_KEY.lines().skip(1).forEach(out::println); // a key printed line by line
      out.printf("done%n");
    }
    assertEquals("opening rtsp://***@cam/1\nssl.keystore.key=***\ndone\n", sink.toString().replace(System.lineSeparator(), "\n"));
  }
}
