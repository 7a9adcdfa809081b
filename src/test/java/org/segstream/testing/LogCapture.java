package org.segstream.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** Captures every log line of the JVM (ours, Kafka's, FFmpeg's through its callback) while open. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private LogCapture() {}

  public static LogCapture open() {
    LogCapture capture = new LogCapture();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    capture.setContext(context);
    capture.setName("test-capture");
    capture.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(capture);
    return capture;
  }

  @Override
  protected void append(ILoggingEvent event) {
    StringBuilder line = new StringBuilder()
        .append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ").append(event.getFormattedMessage());
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
    }
    lines.add(line.toString());
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  public boolean contains(String text) {
    return lines.stream().anyMatch(l -> l.contains(text));
  }

  @Override
  public void close() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
    stop();
  }
}
