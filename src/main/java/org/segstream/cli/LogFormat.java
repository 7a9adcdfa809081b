package org.segstream.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Iterator;
import org.segstream.config.MaskedJsonEncoder;
import org.slf4j.LoggerFactory;

/** {@code --log-format}: the log lines on stderr as logback.xml's text pattern, or as one JSON object per line. */
enum LogFormat {
  TEXT,
  JSON;

  /**
   * Makes the console appenders of Logback's root logger write this format. Text is logback.xml's own pattern, so
   * only JSON changes anything: called once per process, before the command runs.
   */
  void apply() {
    if (this == TEXT) {
      return;
    }
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      throw new IllegalStateException("--log-format json needs Logback as the SLF4J backend, found "
          + LoggerFactory.getILoggerFactory().getClass().getName());
    }
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof ConsoleAppender<ILoggingEvent> console) {
        MaskedJsonEncoder json = new MaskedJsonEncoder();
        json.setContext(context);
        json.start();
        console.stop();
        console.setEncoder(json);
        console.start();
      }
    }
  }
}
