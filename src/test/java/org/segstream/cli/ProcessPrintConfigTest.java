package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code process --print-config}: every setting with its effective value, secrets masked, no connection. */
class ProcessPrintConfigTest {
  @TempDir Path dir;

  @Test
  void printsEffectiveSettingsWithSecretsMaskedAndExitsWithoutKafka() throws Exception {
    Path kafkaConfig = dir.resolve("client.properties");
    Files.writeString(kafkaConfig, String.join("\n",
        "security.protocol=SASL_SSL",
        "sasl.mechanism=PLAIN",
        "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"hunter2\";",
        "ssl.truststore.password=trustme",
        "session.timeout.ms=6000",
        ""));
    Path config = dir.resolve("segstream.properties");
    Files.writeString(config, "batch-size=2\nrefine=off\ncrf-iterations=9\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // nothing listens on port 1: the command must not try to connect
    int code = SegstreamCli.execute(
        new String[] {"process", "--print-config", "--config", config.toString(), "--kafka-config", kafkaConfig.toString(),
            "--bootstrap-servers", "sasl://admin:s3cret@127.0.0.1:1", "--crf-iterations", "7"},
        Map.of("SEGSTREAM_BATCH_SIZE", "4", "SEGSTREAM_METRICS_PORT", "9400"),
        new PrintWriter(out, true),
        new PrintWriter(err, true));
    String text = out.toString();
    assertEquals(0, code, err.toString());
    assertTrue(text.contains("\nbatch-size=4\n"), "the environment beats the --config file:\n" + text);
    assertTrue(text.contains("\nrefine=off\n"), "the --config file beats the default:\n" + text);
    assertTrue(text.contains("\ncrf-iterations=7\n"), "the flag beats the file:\n" + text);
    assertTrue(text.contains("\nmetrics-port=9400\n"), text);
    assertTrue(text.contains("\nbatch-max-delay-ms=20\n"), "defaults are listed too:\n" + text);
    assertTrue(text.contains("\nprocessing.guarantee=exactly_once_v2\n"), "the Streams properties follow:\n" + text);
    assertTrue(text.contains("\nsession.timeout.ms=6000\n"), "--kafka-config reaches the Streams properties:\n" + text);
    assertTrue(text.contains("\nsasl.jaas.config=***\n"), text);
    assertTrue(text.contains("\nssl.truststore.password=***\n"), text);
    assertTrue(text.contains("sasl://***@127.0.0.1:1"), text);
    for (String secret : new String[] {"hunter2", "trustme", "s3cret", "admin"}) {
      assertFalse(text.contains(secret), "secret " + secret + " printed:\n" + text);
    }
  }

  @Test
  void printsTheInstanceIdentityAndTheRestartTimeouts() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path stateDir = dir.resolve("state");
    int code = SegstreamCli.execute(
        new String[] {"process", "--print-config", "--bootstrap-servers", "127.0.0.1:1", "--instance-id", "cam-host-2",
            "--state-dir", stateDir.toString()},
        Map.of(),
        new PrintWriter(out, true),
        new PrintWriter(err, true));
    String text = out.toString();
    assertEquals(0, code, err.toString());
    assertTrue(text.contains("\ngroup.instance.id=cam-host-2\n"), text);
    assertTrue(text.contains("\nstate.dir=" + stateDir + "\n"), text);
    assertTrue(text.contains("\nsession.timeout.ms=15000\n"), text);
    assertTrue(text.contains("\ntransaction.timeout.ms=10000\n"), text);
    assertFalse(Files.exists(stateDir), "--print-config creates nothing");
  }

  @Test
  void refusesAGroupInstanceIdFromTheKafkaConfigFile() throws Exception {
    Path kafkaConfig = dir.resolve("client.properties");
    Files.writeString(kafkaConfig, "group.instance.id=somewhere\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SegstreamCli.execute(
        new String[] {"process", "--print-config", "--kafka-config", kafkaConfig.toString()},
        Map.of(),
        new PrintWriter(out, true),
        new PrintWriter(err, true));
    assertEquals(2, code, out.toString());
    assertTrue(err.toString().contains("--instance-id"), err.toString());
  }
}
