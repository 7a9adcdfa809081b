package org.segstream.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * Logback's {@link JsonEncoder} (one JSON object per line) with secrets masked like the text pattern's
 * {@code %maskedMsg} and {@code %maskedEx}: the message, its arguments, MDC and key-value values, and every message
 * of a logged throwable and its causes go through {@link Secrets#maskText} first. Writes the formatted message
 * ({@code formattedMessage}) rather than the template and its arguments, and no logger-context block.
 */
public final class MaskedJsonEncoder extends JsonEncoder {
  public MaskedJsonEncoder() {
    setWithFormattedMessage(true);
    setWithMessage(false);
    setWithArguments(false);
    setWithContext(false);
    setWithSequenceNumber(false); // always 0 without a sequence generator in the logger context
    setWithNanoseconds(false);
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return super.encode(new MaskedEvent(event));
  }

  /** The event as logged, with its text masked. */
  private record MaskedEvent(ILoggingEvent event) implements ILoggingEvent {
    @Override
    public String getThreadName() {
      return event.getThreadName();
    }

    @Override
    public Level getLevel() {
      return event.getLevel();
    }

    @Override
    public String getMessage() {
      return Secrets.maskText(event.getMessage());
    }

    @Override
    public Object[] getArgumentArray() {
      Object[] args = event.getArgumentArray();
      return args == null ? null : Arrays.stream(args).map(a -> a == null ? null : Secrets.maskText(String.valueOf(a))).toArray();
    }

    @Override
    public String getFormattedMessage() {
      return Secrets.maskText(event.getFormattedMessage());
    }

    @Override
    public String getLoggerName() {
      return event.getLoggerName();
    }

    @Override
    public LoggerContextVO getLoggerContextVO() {
      return event.getLoggerContextVO();
    }

    @Override
    public IThrowableProxy getThrowableProxy() {
      return MaskedThrowable.of(event.getThrowableProxy());
    }

    @Override
    public StackTraceElement[] getCallerData() {
      return event.getCallerData();
    }

    @Override
    public boolean hasCallerData() {
      return event.hasCallerData();
    }

    @Override
    public List<Marker> getMarkerList() {
      return event.getMarkerList();
    }

    @Override
    public Map<String, String> getMDCPropertyMap() {
      return masked(event.getMDCPropertyMap());
    }

    @Override
    @SuppressWarnings("deprecation")
    public Map<String, String> getMdc() {
      return masked(event.getMdc());
    }

    @Override
    public long getTimeStamp() {
      return event.getTimeStamp();
    }

    @Override
    public int getNanoseconds() {
      return event.getNanoseconds();
    }

    @Override
    public long getSequenceNumber() {
      return event.getSequenceNumber();
    }

    @Override
    public List<KeyValuePair> getKeyValuePairs() {
      List<KeyValuePair> pairs = event.getKeyValuePairs();
      return pairs == null ? null : pairs.stream()
          .map(p -> new KeyValuePair(p.key, p.value == null ? null : Secrets.maskText(String.valueOf(p.value))))
          .toList();
    }

    @Override
    public void prepareForDeferredProcessing() {
      event.prepareForDeferredProcessing();
    }

    private static Map<String, String> masked(Map<String, String> map) {
      if (map == null || map.isEmpty()) {
        return map;
      }
      Map<String, String> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, v == null ? null : Secrets.maskText(v)));
      return out;
    }
  }

  /** A logged throwable with its message masked, and its causes and suppressed ones likewise. */
  private record MaskedThrowable(IThrowableProxy proxy) implements IThrowableProxy {
    static IThrowableProxy of(IThrowableProxy proxy) {
      return proxy == null ? null : new MaskedThrowable(proxy);
    }

    @Override
    public String getMessage() {
      return proxy.getMessage() == null ? null : Secrets.maskText(proxy.getMessage());
    }

    @Override
    public String getClassName() {
      return proxy.getClassName();
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
      return proxy.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
      return proxy.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
      return of(proxy.getCause());
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
      IThrowableProxy[] suppressed = proxy.getSuppressed();
      return suppressed == null ? null : Arrays.stream(suppressed).map(MaskedThrowable::of).toArray(IThrowableProxy[]::new);
    }

    @Override
    public boolean isCyclic() {
      return proxy.isCyclic();
    }
  }
}
