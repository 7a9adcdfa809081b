package org.segstream.config;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback's {@code %msg} with secrets masked ({@code %maskedMsg} in logback.xml): every log line,
 * Kafka's and FFmpeg's included, whether or not the code that logged it masked what it printed.
 */
public final class MaskedMessageConverter extends MessageConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return Secrets.maskText(super.convert(event));
  }
}
