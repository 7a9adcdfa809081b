package org.segstream.config;

import java.io.IOException;
import java.io.Writer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A writer that masks secrets ({@link Secrets#maskText}) in everything written through it: the
 * command line's stdout and stderr go through one, so output that forgot to mask is still masked.
 * Text is held until a line ends (a URI written in two pieces is masked whole) or until
 * {@link #flush()}; a line longer than {@value #MAX_HELD_CHARS} chars is passed on in pieces.
 * A private key printed line by line is dropped from its BEGIN line to its END line.
 */
public final class SecretMaskingWriter extends Writer {
  static final int MAX_HELD_CHARS = 1 << 20;
  private static final Pattern KEY_BEGIN = Pattern.compile("-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----");
  private static final Pattern KEY_END = Pattern.compile("-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----");
  /** The body of a PEM block: base64 lines and headers such as {@code Proc-Type: 4,ENCRYPTED}. */
  private static final Pattern KEY_BODY_LINE = Pattern.compile("[A-Za-z0-9+/=]*|[A-Za-z-]+: .*");

  private final Writer out;
  private final StringBuilder held = new StringBuilder();
  private boolean insidePrivateKey;

  public SecretMaskingWriter(Writer out) {
    this.out = out;
  }

  @Override
  public void write(char[] chars, int offset, int length) throws IOException {
    held.append(chars, offset, length);
    int lineEnd = Math.max(held.lastIndexOf("\n"), held.lastIndexOf("\r"));
    if (lineEnd >= 0) {
      pass(lineEnd + 1);
    } else if (held.length() > MAX_HELD_CHARS) {
      pass(held.length());
    }
  }

  @Override
  public void flush() throws IOException {
    pass(held.length());
    out.flush();
  }

  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      out.close();
    }
  }

  /** Masks and writes the first {@code length} held chars. */
  private void pass(int length) throws IOException {
    if (length == 0) {
      return;
    }
    String text = held.substring(0, length);
    held.delete(0, length);
    if (insidePrivateKey) {
      text = dropPrivateKeyLines(text);
    }
    if (endsInsidePrivateKey(text)) {
      insidePrivateKey = true; // maskText hides the rest of this text; the key's next lines are dropped
    }
    out.write(Secrets.maskText(text));
  }

  /** Whether the text's last private key BEGIN line has no END line after it. */
  private static boolean endsInsidePrivateKey(String text) {
    Matcher begin = KEY_BEGIN.matcher(text);
    int lastBegin = -1;
    while (begin.find()) {
      lastBegin = begin.end();
    }
    return lastBegin >= 0 && !KEY_END.matcher(text).region(lastBegin, text.length()).find();
  }

  /** The text after the key's remaining lines (base64, headers, the END line). */
  private String dropPrivateKeyLines(String text) {
    int start = 0;
    while (start < text.length()) {
      int end = start;
      while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
        end++;
      }
      String line = text.substring(start, end);
      int next = end < text.length() ? end + 1 : end;
      Matcher keyEnd = KEY_END.matcher(line);
      if (keyEnd.find()) {
        insidePrivateKey = false;
        return text.substring(start + keyEnd.end() == end ? next : start + keyEnd.end());
      }
      if (!KEY_BODY_LINE.matcher(line.strip()).matches()) {
        insidePrivateKey = false; // not a key line: the key was cut off before here
        return text.substring(start);
      }
      start = next;
    }
    return "";
  }
}
