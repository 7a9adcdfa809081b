package org.segstream.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4) for tests: every line must be a
 * HELP, a TYPE or a sample, or parsing fails naming the line.
 */
public final class PrometheusText {
  /** One sample: metric name, labels, value. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
  private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
  private static final Pattern SAMPLE =
      Pattern.compile("(" + NAME + ")(\\{(.*)})? (-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( -?[0-9]+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  private final List<Sample> samples;
  private final Map<String, String> types;

  private PrometheusText(List<Sample> samples, Map<String, String> types) {
    this.samples = samples;
    this.types = types;
  }

  public static PrometheusText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    Map<String, String> types = new LinkedHashMap<>();
    int lineNo = 0;
    for (String line : text.split("\n")) {
      lineNo++;
      if (line.isEmpty()) {
        continue;
      }
      Matcher m;
      if ((m = TYPE.matcher(line)).matches()) {
        types.put(m.group(1), m.group(2));
      } else if (HELP.matcher(line).matches()) {
        continue;
      } else if ((m = SAMPLE.matcher(line)).matches()) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.group(3) != null) {
          Matcher l = LABEL.matcher(m.group(3));
          int end = 0;
          while (l.find() && l.start() == end) {
            labels.put(l.group(1), l.group(2));
            end = l.end();
          }
          if (end != m.group(3).length()) {
            throw new IllegalArgumentException("line " + lineNo + ": bad labels: " + line);
          }
        }
        String v = m.group(4);
        double value = v.equals("+Inf") ? Double.POSITIVE_INFINITY : v.equals("-Inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(v);
        samples.add(new Sample(m.group(1), labels, value));
      } else {
        throw new IllegalArgumentException("line " + lineNo + " is not Prometheus text: " + line);
      }
    }
    return new PrometheusText(samples, types);
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The declared TYPE of a metric family, null when undeclared. */
  public String type(String family) {
    return types.get(family);
  }

  /** The sum of the samples of this name whose labels include all of {@code labels}. */
  public double sum(String name, Map<String, String> labels) {
    double sum = 0;
    for (Sample s : samples) {
      if (s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())) {
        sum += s.value();
      }
    }
    return sum;
  }

  public boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  /** Whether a sample of this name has all of {@code labels}. */
  public boolean has(String name, Map<String, String> labels) {
    return samples.stream().anyMatch(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()));
  }
}
