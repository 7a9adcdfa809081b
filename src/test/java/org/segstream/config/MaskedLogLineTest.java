package org.segstream.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** logback.xml's console pattern masks every line, whoever logged it (Kafka logs bootstrap.servers as given). */
class MaskedLogLineTest {
  @Test
  void theConsolePatternMasksMessagesAndStackTraces() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    ConsoleAppender<ILoggingEvent> console = assertInstanceOf(ConsoleAppender.class, root.getAppender("STDERR"));
    PatternLayoutEncoder encoder = assertInstanceOf(PatternLayoutEncoder.class, console.getEncoder());
    Logger kafka = context.getLogger("org.apache.kafka.clients.ClientUtils");
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), kafka, Level.WARN,
        "Couldn't resolve server {} from bootstrap.servers as DNS resolution failed",
        new IllegalStateException("cannot open rtsp://admin:hunter2@cam/1?token=t0ken",
            new RuntimeException("ssl.keystore.key=-----BEGIN PRIVATE KEY-----\nMIIEvQprivate\n-----END PRIVATE KEY-----")),
        new Object[] {"SASL_SSL://u:p/w@broker:9093"});
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertTrue(line.contains("Couldn't resolve server SASL_SSL://***@broker:9093"), line);
    assertTrue(line.contains("cannot open rtsp://***@cam/1?token=***"), "the stack trace is masked too:\n" + line);
    assertTrue(line.contains("at org.segstream.config.MaskedLogLineTest"), "and still printed:\n" + line);
    for (String secret : new String[] {"p/w", "hunter2", "t0ken", "MIIEvQprivate"}) {
      assertFalse(line.contains(secret), secret + " logged:\n" + line);
    }
  }

  @Test
  void theJsonEncoderWritesOneParseableObjectPerLineWithSecretsMasked() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger kafka = context.getLogger("org.apache.kafka.clients.ClientUtils");
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), kafka, Level.WARN,
        "Couldn't resolve server {} from \"bootstrap.servers\"\nas DNS resolution failed",
        new IllegalStateException("cannot open rtsp://admin:hunter2@cam/1?token=t0ken",
            new RuntimeException("ssl.keystore.key=-----BEGIN PRIVATE KEY-----\nMIIEvQprivate\n-----END PRIVATE KEY-----")),
        new Object[] {"SASL_SSL://u:p/w@broker:9093"});
    MaskedJsonEncoder encoder = new MaskedJsonEncoder();
    encoder.setContext(context);
    encoder.start();
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line: " + line);
    JsonNode json = new ObjectMapper().readTree(line);
    assertEquals("WARN", json.get("level").asText());
    assertEquals("org.apache.kafka.clients.ClientUtils", json.get("loggerName").asText());
    assertEquals("Couldn't resolve server SASL_SSL://***@broker:9093 from \"bootstrap.servers\"\nas DNS resolution failed",
        json.get("formattedMessage").asText());
    assertEquals("cannot open rtsp://***@cam/1?token=***", json.get("throwable").get("message").asText(), line);
    assertTrue(json.get("throwable").get("cause").get("message").asText().startsWith("ssl.keystore.key=***"), line);
    for (String secret : new String[] {"p/w", "hunter2", "t0ken", "MIIEvQprivate"}) {
      assertFalse(line.contains(secret), secret + " logged:\n" + line);
    }
  }
}
