package org.segstream.config;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Logback's {@code %ex} with secrets masked ({@code %maskedEx} in logback.xml): the messages of a logged stack trace. */
public final class MaskedThrowableConverter extends ThrowableProxyConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return Secrets.maskText(super.convert(event));
  }
}
