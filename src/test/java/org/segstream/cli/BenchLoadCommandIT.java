package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.segstream.testing.TestModels;

/**
 * {@code segstream bench load} at a small size: a real embedded broker and one warm in-JVM processor with the tiny
 * synthetic-scene model and the CRF on, offered one and then two streams at 30 fps; a row per load whose shares sum
 * to 1, and every frame answered exactly once.
 */
class BenchLoadCommandIT {
  /** streams, offered, achieved, p50 / p95 / p99, within, full, lower-res, unrefined, skipped, mIoU, mIoU answered, results / frames, missing, repeated. */
  private static final Pattern ROW = Pattern.compile(
      "(?m)^\\| (\\d+) \\| ([0-9.]+) \\| ([0-9.]+) \\| (\\d+) / (\\d+) / (\\d+) \\| (yes|no) \\| ([0-9.]+) \\| ([0-9.]+) \\| ([0-9.]+) \\| ([0-9.]+)"
          + " \\| ([0-9.]+|NaN) \\| ([0-9.]+|NaN) \\| (\\d+) / (\\d+) \\| (\\d+) \\| (\\d+) \\|$");

  @Test
  void oneAndTwoStreamsGetARowEachAndEveryFrameOneResult() {
    Path model = TestModels.tiny();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SegstreamCli.execute(
        new String[] {"bench", "load", "--streams", "1,2", "--seconds", "3", "--warmup-seconds", "1", "--model", model.toString()},
        Map.of(),
        new PrintWriter(out, true),
        new PrintWriter(err, true));
    String text = out.toString();
    assertEquals(0, code, text + "\n" + err);
    Matcher row = ROW.matcher(text);
    List<Integer> loads = new ArrayList<>();
    while (row.find()) {
      int streams = Integer.parseInt(row.group(1));
      loads.add(streams);
      assertEquals(30.0 * streams, Double.parseDouble(row.group(2)), 1e-9, row.group());
      assertTrue(Double.parseDouble(row.group(3)) > 0, row.group());
      double shares = 0;
      for (int g = 8; g <= 11; g++) {
        shares += Double.parseDouble(row.group(g));
      }
      assertEquals(1.0, shares, 0.0021, "shares (printed to 3 decimals) sum to 1: " + row.group());
      double miou = Double.parseDouble(row.group(12));
      assertTrue(miou >= 0 && miou <= 1, row.group());
      assertEquals(90L * streams, Long.parseLong(row.group(14)), row.group());
      assertEquals(90L * streams, Long.parseLong(row.group(15)), row.group());
      assertEquals(0, Long.parseLong(row.group(16)), "missing: " + row.group());
      assertEquals(0, Long.parseLong(row.group(17)), "repeated: " + row.group());
    }
    assertEquals(List.of(1, 2), loads, "a row per load in:\n" + text);
    assertTrue(text.contains("latency budget 200 ms"), text);
    assertTrue(text.contains("exactly one result per frame: yes (270 frames at 2 loads)"), text);
    assertTrue(err.toString().contains("bench load: warm-up, 30 results of 1 stream"), err.toString());
  }
}
