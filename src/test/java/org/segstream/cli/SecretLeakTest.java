package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command line as a user meets it: mistyped flags, failed connections and {@code --print-config}
 * print no secret, on stdout, on stderr or in a log line (System.err captured too), with or without
 * {@code --verbose}.
 */
class SecretLeakTest {
  private static final String PRIVATE_KEY_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7privatebody";

  @TempDir Path dir;

  record Outcome(int exitCode, String out, String err, String console) {
    String all() {
      return out + "\n" + err + "\n" + console;
    }
  }

  static Outcome run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintStream original = System.err;
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8)); // where logback's lines go
    int code;
    try {
      code = SegstreamCli.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    } finally {
      System.setErr(original);
    }
    return new Outcome(code, out.toString(), err.toString(), console.toString(StandardCharsets.UTF_8));
  }

  /** args, the exit code, what must be printed (masked), the secrets that must not be. */
  static Stream<Arguments> commandLines() {
    return Stream.of(
        Arguments.of(List.of("ingest", "--inptu", "rtsp://admin:secret@cam/1"), ExitCodes.USAGE,
            "rtsp://***@cam/1", List.of("secret", "admin")),
        Arguments.of(List.of("ingest", "--input=rtsp://admin:p/w@x@cam/1", "--stream-id", "s", "--rate", "bogus"),
            ExitCodes.USAGE, "--rate", List.of("p/w", "admin")),
        Arguments.of(List.of("ingest", "--pasword", "hunter2", "--input", "x.mp4"), ExitCodes.USAGE,
            "'--pasword', '***'", List.of("hunter2")),
        Arguments.of(List.of("ingest", "--input", "ftp://TOKEN4f9a@cam/1?sig=s1gn4ture", "--stream-id", "s"),
            ExitCodes.USAGE, "ftp://***@cam/1?sig=***", List.of("TOKEN4f9a", "s1gn4ture")),
        Arguments.of(List.of("tail", "--bootstrap-servers", "SASL_SSL://u:p/w@broker:9093"), ExitCodes.RUNTIME_FAILURE,
            "SASL_SSL://***@broker:9093", List.of("u:p", "p/w")),
        Arguments.of(List.of("ingest", "--max-fps", "rtsp://admin:secret@cam/1", "--input", "x.mp4"), ExitCodes.USAGE,
            "rtsp://***@cam/1", List.of("secret", "admin")));
  }

  @ParameterizedTest
  @MethodSource("commandLines")
  void noSecretIsPrinted(List<String> args, int exitCode, String shown, List<String> secrets) {
    for (boolean verbose : new boolean[] {false, true}) {
      List<String> argv = new ArrayList<>(args);
      if (verbose) {
        argv.add("--verbose");
      }
      Outcome o = run(Map.of(), argv.toArray(String[]::new));
      assertEquals(exitCode, o.exitCode(), o.all());
      assertTrue(o.err().contains(shown), "expected " + shown + " in:\n" + o.err());
      for (String secret : secrets) {
        assertFalse(o.all().contains(secret), secret + " printed:\n" + o.all());
      }
      if (verbose && exitCode == ExitCodes.RUNTIME_FAILURE) {
        assertTrue(o.err().contains("\tat "), "--verbose prints the stack trace:\n" + o.err());
      }
    }
  }

  @Test
  void printConfigShowsNoPrivateKeyJaasPasswordOrBrokerCredentials() throws Exception {
    Path kafkaConfig = dir.resolve("client.properties");
    Files.writeString(kafkaConfig, String.join("\n",
        "security.protocol=SASL_SSL",
        "sasl.mechanism=SCRAM-SHA-512",
        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc\" password=\"jaas-pw-x\";",
        "ssl.keystore.type=PEM",
        "ssl.keystore.key=-----BEGIN PRIVATE KEY-----\\n" + PRIVATE_KEY_BODY + "\\n-----END PRIVATE KEY-----",
        "ssl.keystore.certificate.chain=-----BEGIN CERTIFICATE-----\\nMIIBpublicchain\\n-----END CERTIFICATE-----",
        "ssl.truststore.certificates=-----BEGIN CERTIFICATE-----\\nMIIBpublicca\\n-----END CERTIFICATE-----",
        "ssl.key.password=key-pw-x",
        "some.vendor.setting=-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEEIvendorkey\\n-----END EC PRIVATE KEY-----",
        ""));
    for (Map<String, String> env : List.of(Map.<String, String>of(),
        Map.of("SEGSTREAM_BOOTSTRAP_SERVERS", "SASL_SSL://u:p/w@broker:9093"))) {
      List<String> args = new ArrayList<>(List.of("process", "--print-config", "--kafka-config", kafkaConfig.toString()));
      if (env.isEmpty()) {
        args.addAll(List.of("--bootstrap-servers", "SASL_SSL://u:p/w@broker:9093"));
      }
      Outcome o = run(env, args.toArray(String[]::new));
      String text = o.out();
      assertEquals(0, o.exitCode(), o.all());
      assertTrue(text.contains("\nbootstrap-servers=SASL_SSL://***@broker:9093\n"), text);
      assertTrue(text.contains("\nbootstrap.servers=SASL_SSL://***@broker:9093\n"), text);
      assertTrue(text.contains("\nssl.keystore.key=***\n"), text);
      assertTrue(text.contains("\nsasl.jaas.config=***\n"), text);
      assertTrue(text.contains("\nssl.key.password=***\n"), text);
      assertTrue(text.contains("\nsome.vendor.setting=***\n"), "a private key is masked whatever its setting's name:\n" + text);
      assertTrue(text.contains("\nsasl.mechanism=SCRAM-SHA-512\n"), "what is not secret stays readable:\n" + text);
      assertTrue(text.contains("MIIBpublicchain") && text.contains("MIIBpublicca"), "certificates are public:\n" + text);
      for (String secret : List.of(PRIVATE_KEY_BODY, "MHcCAQEEIvendorkey", "jaas-pw-x", "key-pw-x", "p/w", "u:p")) {
        assertFalse(o.all().contains(secret), secret + " printed:\n" + o.all());
      }
    }
  }
}
