package org.segstream.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code docker/grafana/segstream-dashboard.json} read for tests: its PromQL expressions (panel targets and
 * template variable queries) and the metric names they query.
 */
public final class GrafanaDashboard {
  public static final Path FILE = Path.of("docker/grafana/segstream-dashboard.json");

  /** Words of PromQL that are not metric names where they stand (aggregation modifiers, set operators...). */
  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
      "bool", "offset", "and", "or", "unless", "inf", "nan");
  private static final Pattern STRING = Pattern.compile("\"(\\\\.|[^\"\\\\])*\"|'(\\\\.|[^'\\\\])*'");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+}?");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
  /** {@code label_values(metric, label)}: Grafana's template query, not PromQL. */
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([^,)]+?)\\s*(,[^)]*)?\\)");

  private GrafanaDashboard() {}

  /** Every PromQL expression of the dashboard: panel targets' {@code expr}, then template variable queries. */
  public static List<String> expressions(JsonNode dashboard) {
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        if (target.hasNonNull("expr")) {
          exprs.add(target.get("expr").asText());
        }
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      JsonNode query = variable.path("query");
      String text = query.isObject() ? query.path("query").asText("") : query.asText("");
      Matcher m = LABEL_VALUES.matcher(text);
      if (variable.path("type").asText().equals("query") && m.matches()) {
        exprs.add(m.group(1));
      }
    }
    return exprs;
  }

  public static JsonNode read() throws IOException {
    return new ObjectMapper().readTree(FILE.toFile());
  }

  /** The metric names a PromQL expression selects (functions, keywords, labels, durations and numbers left out). */
  public static Set<String> metricNames(String promql) {
    String s = STRING.matcher(promql).replaceAll(" ");
    s = MATCHERS.matcher(s).replaceAll(" ");
    s = RANGE.matcher(s).replaceAll(" ");
    s = GROUPING.matcher(s).replaceAll(" ");
    s = VARIABLE.matcher(s).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      boolean function = m.group(2) != null;
      String word = m.group(1);
      if (!function && !KEYWORDS.contains(word.toLowerCase(Locale.ROOT))) {
        names.add(word);
      }
    }
    return names;
  }

  /** The metric names of every expression of the dashboard. */
  public static Set<String> metricNames(JsonNode dashboard) {
    Set<String> names = new TreeSet<>();
    expressions(dashboard).forEach(e -> names.addAll(metricNames(e)));
    return names;
  }
}
