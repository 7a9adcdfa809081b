package org.segstream.config;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets wherever a URI, a setting, a message or a command line is printed, logged or written
 * into a record. What is masked, each replaced by {@value #MASK}:
 *
 * <ul>
 *   <li>the whole userinfo of every URI, user and password ({@code rtsp://***@cam/1}), also when the
 *       password holds {@code /} or {@code @} (the userinfo runs to the last {@code @}), for a bare
 *       token ({@code rtsp://TOKEN@cam}) and when the {@code @} is written {@code %40};
 *   <li>the value of secret query and fragment parameters ({@code token}, {@code sig},
 *       {@code X-Amz-Signature}, {@code access_token}, {@code api_key}, {@code key}, {@code password}...,
 *       see {@link #isSecretParameter}) and of any parameter whose decoded value holds a secret (a
 *       percent-encoded URI with credentials);
 *   <li>{@code user:password@host} without a scheme ({@code bootstrap.servers} written wrong);
 *   <li>PEM private key blocks, whatever surrounds them;
 *   <li>{@code name=value}, {@code name="value"} and {@code "name": "value"} pairs whose name is a
 *       secret setting (see {@link #isSecretKey}), and {@code Bearer} tokens.
 * </ul>
 *
 * <p>It errs on the side of hiding: an {@code @} anywhere in a URI ends a userinfo, so
 * {@code http://cdn/a@2x.png} prints as {@code http://***@2x.png}. A URI ends at whitespace, so a
 * password with a space in it is only partly masked (such a URI is invalid anyway).
 */
public final class Secrets {
  public static final String MASK = "***";

  private static final Pattern PRIVATE_KEY_BEGIN = Pattern.compile("-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----");
  private static final Pattern PRIVATE_KEY_END = Pattern.compile("-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----");
  /** A block runs to its END line, or to the end of the text when it was cut off. */
  private static final Pattern PRIVATE_KEY_BLOCK = Pattern.compile(
      PRIVATE_KEY_BEGIN.pattern() + ".*?(?:" + PRIVATE_KEY_END.pattern() + "|(?=[\\r\\n]*\\z))", Pattern.DOTALL);
  /** Scheme chars plus {@code _}: Kafka writes {@code SASL_SSL://host:port}. */
  private static final Pattern URI_START = Pattern.compile("(?i)(?<![a-z0-9+._-])[a-z][a-z0-9+._-]*://");
  /** A percent-encoded URI, as in {@code ?src=rtsp%3A%2F%2Fu%3Ap%40cam}, also encoded twice ({@code %253A}). */
  private static final Pattern ENCODED_URI =
      Pattern.compile("(?i)(?<![a-z0-9+._%-])[a-z][a-z0-9+._-]*%(?:25)*3a%(?:25)*2f%(?:25)*2f[^\\s&\"'<>]*");
  /**
   * {@code user:password@host} with no scheme: the password runs to the last {@code @} before
   * whitespace. Bounded lengths keep a long line without whitespace from costing quadratic time.
   */
  private static final Pattern BARE_USERINFO = Pattern.compile(
      "(?<![^\\s,;=(\\[\"'])[^\\s,;=()\\[\\]\"'<>@/:]{1,256}:(?!//)[^\\s\"'<>]{0,1024}@(?=[A-Za-z0-9\\[])");
  /** {@code name=value}, {@code name="value"}, {@code "name": "value"} in free text. */
  private static final Pattern NAMED_VALUE = Pattern.compile(
      "(?<![\\w.-])([\"']?)([A-Za-z][\\w.-]*)\\1(\\s*=\\s*|\\s*:\\s*(?=[\"']))(\"[^\"]*\"|'[^']*'|[^\\s,;&\"'<>(){}\\[\\]]+)");
  private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer)\\s+[A-Za-z0-9._~+/-]{16,}=*");
  /** A {@code name=value} parameter of a URI's query, fragment or path ({@code ;jsessionid=}). */
  private static final Pattern URI_PARAMETER = Pattern.compile("([?&;#])([^=&;#?\\s]+)=([^&;#\\s\"'<>]*)");
  /** Punctuation that ends a sentence rather than a URI: {@code ...?token=abc, retrying}. */
  private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[,.;:)\\]}]+$");
  /** Option names whose value is masked on a command line, typos included ({@code --pasword}). */
  private static final Pattern SECRET_OPTION = Pattern.compile("(?i).*(pas+w|pwd|secr|tok|cred|key|auth|jaas|sig).*");
  private static final Pattern PERCENT = Pattern.compile("%([0-9A-Fa-f]{2})");

  /** Setting-name parts that always mean a secret ({@code ssl.key.password}, {@code sasl.jaas.config}...). */
  private static final List<String> SECRET_KEY_PARTS = List.of(
      "password", "passwd", "passphrase", "secret", "jaas", "token", "credential", "private", "apikey", "api.key",
      "api-key", "api_key", "accesskey", "access.key", "access-key", "access_key", "signature", "userinfo",
      "user.info");
  /** Short parameter names that are secrets in a URI's query (lower case, without {@code - _ .}). */
  private static final Set<String> SECRET_PARAMETERS = Set.of(
      "sig", "key", "pwd", "pass", "auth", "jwt", "hdnts", "hdnea", "policy", "md5", "hmac", "hash", "code",
      "ticket", "otp", "sid", "session", "sessionid", "jsessionid");
  /** Parameter-name parts that mean a secret (lower case, without {@code - _ .}): {@code xamzsignature}... */
  private static final List<String> SECRET_PARAMETER_PARTS = List.of(
      "token", "secret", "password", "passwd", "signature", "credential", "apikey", "accesskey", "privatekey",
      "auth", "session");

  private Secrets() {}

  /** Masks every secret in a text: URIs, messages, log lines, exception texts (see the class comment). */
  public static String maskText(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String masked = PRIVATE_KEY_BLOCK.matcher(text).replaceAll(MASK);
    masked = maskLiteralUris(masked);
    masked = replace(ENCODED_URI, masked, m -> holdsSecret(decodeFully(m.group())) ? MASK : m.group());
    masked = BARE_USERINFO.matcher(masked).replaceAll(Matcher.quoteReplacement(MASK + "@"));
    masked = replace(NAMED_VALUE, masked, Secrets::maskNamedValue);
    return BEARER.matcher(masked).replaceAll("$1 " + Matcher.quoteReplacement(MASK));
  }

  /** {@code password="x"} → {@code password="***"}; a bare value keeps the punctuation after it. */
  private static String maskNamedValue(Matcher m) {
    String value = m.group(4);
    if (!isSecretKey(m.group(2)) || value.equals("null") || value.equals("[hidden]")) {
      return m.group(); // Kafka's config dump writes unset settings as null and its password settings as [hidden]
    }
    String shown;
    if (value.startsWith("\"") || value.startsWith("'")) {
      shown = value.charAt(0) + MASK + value.charAt(0);
    } else {
      Matcher punctuation = TRAILING_PUNCTUATION.matcher(value);
      shown = punctuation.find() && punctuation.start() > 0 ? MASK + value.substring(punctuation.start()) : MASK;
    }
    return m.group(1) + m.group(2) + m.group(1) + m.group(3) + shown;
  }

  /** {@link #maskText}: the name callers used when only URIs were masked. */
  public static String maskUris(String text) {
    return maskText(text);
  }

  /**
   * A {@code bootstrap.servers} list as it may be printed: every entry with an {@code @} loses what
   * comes before it ({@code SASL_SSL://u:p/w@broker:9093} and {@code TOKEN@broker:9093} alike).
   */
  public static String maskServers(String servers) {
    if (servers == null) {
      return null;
    }
    List<String> entries = new ArrayList<>();
    for (String entry : servers.split(",", -1)) {
      int at = entry.lastIndexOf('@');
      if (at < 0) {
        entries.add(entry);
        continue;
      }
      int scheme = entry.indexOf("://");
      String prefix = scheme >= 0 && scheme < at ? entry.substring(0, scheme + 3) : entry.substring(0, leadingSpace(entry));
      entries.add(prefix + MASK + entry.substring(at));
    }
    return maskText(String.join(",", entries)); // a password with a comma in it split an entry in two
  }

  /**
   * True when a setting of this name holds a secret and is printed as {@value #MASK}: names with
   * {@code password}, {@code secret}, {@code jaas}, {@code token}, {@code credential},
   * {@code passphrase}, {@code private}, {@code api key}, {@code access key}, {@code signature} or
   * {@code user info} in them ({@code basic.auth.user.info}), and names ending in {@code .key}
   * ({@code ssl.keystore.key}). {@code sasl.mechanism} and the public PEM settings
   * ({@code ssl.keystore.certificate.chain}, {@code ssl.truststore.certificates}) stay readable.
   */
  public static boolean isSecretKey(String key) {
    if (key == null) {
      return false;
    }
    String k = key.strip().toLowerCase(Locale.ROOT);
    if (k.equals("key") || k.endsWith(".key") || k.endsWith("-key") || k.endsWith("_key")) {
      return true;
    }
    for (String part : SECRET_KEY_PARTS) {
      if (k.contains(part)) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when a URI parameter of this name (decoded, any case, {@code -_.} ignored) holds a secret:
   * {@code token}, {@code access_token}, {@code sig}, {@code signature}, {@code X-Amz-Signature},
   * {@code X-Amz-Credential}, {@code X-Amz-Security-Token}, {@code key}, {@code api_key},
   * {@code password}, {@code auth}, {@code jwt}, {@code policy}, {@code hdnts}, {@code md5}...
   */
  public static boolean isSecretParameter(String name) {
    String n = decodeFully(name).toLowerCase(Locale.ROOT).replaceAll("[-_.\\s]", "");
    if (SECRET_PARAMETERS.contains(n) || isSecretKey(name)) {
      return true;
    }
    for (String part : SECRET_PARAMETER_PARTS) {
      if (n.contains(part)) {
        return true;
      }
    }
    return false;
  }

  /** True when the value holds a PEM private key block. */
  public static boolean containsPrivateKey(String value) {
    return value != null && PRIVATE_KEY_BEGIN.matcher(value).find();
  }

  /** The value of a setting as it may be printed: {@value #MASK} for a secret, else the value masked. */
  public static String maskSetting(String key, String value) {
    if (value == null) {
      return null;
    }
    if (isSecretKey(key) || containsPrivateKey(value)) {
      return MASK;
    }
    String k = key.toLowerCase(Locale.ROOT).replace('-', '.');
    return k.endsWith("bootstrap.servers") ? maskServers(value) : maskText(value);
  }

  /**
   * A command line as it may be printed or stored: each argument masked, and the value of an option
   * whose name is a secret ({@code --password x}, {@code --api-key=x}) replaced.
   */
  public static List<String> maskArgs(List<String> args) {
    List<String> masked = new ArrayList<>(args.size());
    boolean valueOfSecretOption = false;
    for (String arg : args) {
      String shown;
      if (valueOfSecretOption) {
        shown = MASK;
      } else if (arg.startsWith("-") && arg.contains("=")) {
        String name = arg.substring(0, arg.indexOf('='));
        shown = isSecretOption(name) ? name + "=" + MASK : maskText(arg);
      } else {
        shown = maskText(arg);
      }
      valueOfSecretOption = arg.startsWith("-") && !arg.contains("=") && isSecretOption(arg);
      masked.add(shown);
    }
    return masked;
  }

  /**
   * A message that may quote the command line (picocli's parse errors do: {@code Unknown options:
   * '--inptu', 'rtsp://admin:secret@cam/1'}): each argument that {@link #maskArgs} changes is replaced
   * by its masked form, then the text is masked.
   */
  public static String maskMessage(String message, List<String> args) {
    if (message == null) {
      return null;
    }
    List<String> masked = maskArgs(args);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      if (!args.get(i).equals(masked.get(i)) && !args.get(i).isEmpty()) {
        order.add(i);
      }
    }
    order.sort(Comparator.comparingInt((Integer i) -> args.get(i).length()).reversed()); // longest first
    String text = message;
    for (int i : order) {
      String raw = args.get(i);
      text = text.replace("'" + raw + "'", "'" + masked.get(i) + "'");
      if (raw.length() >= 3) { // a shorter value is no secret worth garbling the message for
        text = text.replace(raw, masked.get(i));
      }
    }
    return maskText(text);
  }

  /** The stack trace as {@link Throwable#printStackTrace()} prints it, every line masked. */
  public static String maskStackTrace(Throwable error, List<String> args) {
    StringWriter trace = new StringWriter();
    try (PrintWriter writer = new PrintWriter(trace)) {
      error.printStackTrace(writer);
    }
    return maskMessage(trace.toString(), args);
  }

  private static boolean isSecretOption(String option) {
    String name = option.replaceFirst("^-+", "");
    return isSecretKey(name) || SECRET_OPTION.matcher(name).matches();
  }

  /** Every {@code scheme://...} in the text, to the next whitespace or the next URI of a list. */
  private static String maskLiteralUris(String text) {
    Matcher m = URI_START.matcher(text);
    List<int[]> starts = new ArrayList<>();
    while (m.find()) {
      starts.add(new int[] {m.start(), m.end()});
    }
    if (starts.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    for (int i = 0; i < starts.size(); i++) {
      int start = starts.get(i)[0];
      if (start < copied) {
        continue;
      }
      int limit = i + 1 < starts.size() ? starts.get(i + 1)[0] : text.length();
      int end = start;
      while (end < limit && !Character.isWhitespace(text.charAt(end))) {
        end++;
      }
      if (end == limit && limit < text.length()) {
        while (end > starts.get(i)[1] && (text.charAt(end - 1) == ',' || text.charAt(end - 1) == ';')) {
          end--; // the separator of a list of URIs belongs to neither
        }
      }
      out.append(text, copied, start).append(maskUri(text.substring(start, end)));
      copied = end;
    }
    return out.append(text, copied, text.length()).toString();
  }

  /** One URI: java.net.URI where it parses and accounts for every {@code @}, else {@link #scanUri}. */
  static String maskUri(String uri) {
    int authority = uri.indexOf("://") + 3;
    try {
      java.net.URI parsed = new java.net.URI(uri).parseServerAuthority();
      String raw = parsed.getRawAuthority();
      if (raw != null && uri.startsWith(raw, authority) && uri.lastIndexOf('@') < authority + raw.length()) {
        String userInfo = parsed.getRawUserInfo();
        // raw minus its userinfo starts with the '@'
        String shown = userInfo == null || userInfo.isEmpty() ? raw : MASK + raw.substring(userInfo.length());
        return uri.substring(0, authority) + shown
            + maskParameters(uri.substring(authority + raw.length()));
      }
    } catch (java.net.URISyntaxException e) {
      // not a valid URI (a password with '/' or '@' in it, a space...): the scanner below copes
    }
    return scanUri(uri);
  }

  /** The tolerant reading: the userinfo is everything between {@code ://} and the last {@code @}. */
  static String scanUri(String uri) {
    int authority = uri.indexOf("://") + 3;
    int at = uri.lastIndexOf('@');
    int separator = 1;
    if (at < authority) {
      // no '@': a "%40" inside the authority part may still separate a userinfo from the host
      int authorityEnd = authority;
      while (authorityEnd < uri.length() && "/?#".indexOf(uri.charAt(authorityEnd)) < 0) {
        authorityEnd++;
      }
      at = uri.substring(0, authorityEnd).toLowerCase(Locale.ROOT).lastIndexOf("%40");
      separator = 3;
    }
    if (at <= authority) { // no userinfo, or an empty one
      return uri.substring(0, authority) + maskParameters(uri.substring(authority));
    }
    return uri.substring(0, authority) + MASK + uri.substring(at, at + separator)
        + maskParameters(uri.substring(at + separator));
  }

  /** Host, path, query and fragment: secret parameter values become {@value #MASK}. */
  private static String maskParameters(String uriRest) {
    Matcher punctuation = TRAILING_PUNCTUATION.matcher(uriRest);
    int end = punctuation.find() ? punctuation.start() : uriRest.length();
    return replace(URI_PARAMETER, uriRest.substring(0, end), m -> {
      String value = m.group(3);
      if (value.isEmpty() || value.equals(MASK)) {
        return m.group();
      }
      boolean secret = isSecretParameter(m.group(2)) || holdsSecret(decodeFully(value));
      return secret ? m.group(1) + m.group(2) + "=" + MASK : m.group();
    }) + uriRest.substring(end);
  }

  /** Whether masking would change the text (the text is a strict part of what is being masked). */
  private static boolean holdsSecret(String text) {
    return !maskText(text).equals(text);
  }

  /** Percent-decoded until nothing changes (at most three times: {@code %2540} is {@code @} encoded twice). */
  private static String decodeFully(String text) {
    String current = text;
    for (int i = 0; i < 3 && current.indexOf('%') >= 0; i++) {
      String next = replace(PERCENT, current, m -> String.valueOf((char) Integer.parseInt(m.group(1), 16)));
      if (next.equals(current)) {
        break;
      }
      current = next;
    }
    return current;
  }

  private static int leadingSpace(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static String replace(Pattern pattern, String text, java.util.function.Function<Matcher, String> replacement) {
    Matcher m = pattern.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(m)));
    }
    m.appendTail(out);
    return out.toString();
  }
}
