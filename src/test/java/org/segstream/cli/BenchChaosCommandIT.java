package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.segstream.testing.TestModels;

/**
 * {@code segstream bench chaos} at a small size: a real broker restarted once on its log
 * directory, {@code process} child JVMs killed hard twice and restarted on Segstream's default
 * Kafka timeouts; every frame answered exactly once under read_committed.
 */
class BenchChaosCommandIT {
  private static final Pattern RESTARTS =
      Pattern.compile("(?m)^restart to first result \\(2 restarts\\): min ([0-9.]+) s, median ([0-9.]+) s, max ([0-9.]+) s$");

  @Test
  void smallChaosRunLosesNoFrameAndRepeatsNone() {
    Path model = TestModels.tiny();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SegstreamCli.execute(
        new String[] {"bench", "chaos", "--frames", "300", "--kills", "2", "--streams", "4", "--rate", "40",
            "--model", model.toString(), "--refine", "off", "--instance-heap", "512m"},
        Map.of(),
        new PrintWriter(out, true),
        new PrintWriter(err, true));
    String text = out.toString();
    assertEquals(0, code, text + "\n" + err);
    for (String line : new String[] {"frames in: 300", "results out: 300", "lost: 0", "duplicated: 0", "dead letters: 0"}) {
      assertTrue(text.contains("\n" + line + "\n"), "'" + line + "' in:\n" + text);
    }
    Matcher restarts = RESTARTS.matcher(text);
    assertTrue(restarts.find(), "restart-to-first-result figures in:\n" + text);
    assertTrue(Double.parseDouble(restarts.group(1)) > 0, text);
    assertTrue(text.contains("broker restart: down "), text);
    assertTrue(err.toString().contains("bench chaos: broker restarted at "), err.toString());
  }
}
