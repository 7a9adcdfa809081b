package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The usage errors of {@code bench load}, refused before a broker starts (the run itself: BenchLoadCommandIT). */
class BenchLoadCommandTest {
  @ParameterizedTest
  @CsvSource({"--streams, '1,0', --streams", "--streams, 65, --streams", "--fps, 0, --fps", "--seconds, 0, --seconds",
      "--seconds, 100, --seconds", "--objects, 255, --objects"})
  void badSizesAreUsageErrors(String flag, String value, String named) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SegstreamCli.execute(new String[] {"bench", "load", "--streams", "1,8", flag, value}, Map.of(),
        new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains(named), err.toString());
  }
}
