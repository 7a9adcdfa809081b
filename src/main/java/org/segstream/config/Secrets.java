package org.segstream.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks credentials wherever a URI or a setting is printed, logged or written into a record. */
public final class Secrets {
  // scheme://user:password@host → scheme://user:***@host (also inside longer messages)
  private static final Pattern URI_PASSWORD = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\\s]+):([^@\\s/]+)@");
  private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|secret|jaas|token|credential|key\\.password|sasl).*");

  private Secrets() {}

  /** Replaces the password of every URI in the text by {@code ***}. */
  public static String maskUris(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = URI_PASSWORD.matcher(text);
    return m.replaceAll("$1:***@");
  }

  /** True when a setting of this name holds a secret and must be printed as {@code ***}. */
  public static boolean isSecretKey(String key) {
    return SECRET_KEY.matcher(key).matches();
  }

  /** The value as it may be printed. */
  public static String maskSetting(String key, String value) {
    return isSecretKey(key) ? "***" : maskUris(value);
  }
}
