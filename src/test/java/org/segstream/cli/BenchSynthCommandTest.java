package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BenchSynthCommandTest {
  @Test
  void printsATimePerMeasurement() {
    SegstreamCliTest.Run r = SegstreamCliTest.run("bench", "synth", "--iterations", "2", "--warmup", "0");
    assertEquals(0, r.exitCode(), r.err());
    for (String what : new String[] {"synth scene 128x128", "synth clip frame 640x360", "contours 640x360",
        "confusion matrix add", "boundary F t=2"}) {
      Matcher m = Pattern.compile(Pattern.quote(what) + ".*?([0-9.]+) ms").matcher(r.out());
      assertTrue(m.find(), "no line for " + what + " in:\n" + r.out());
      assertTrue(Double.parseDouble(m.group(1)) > 0, r.out());
    }
    Matcher contours = Pattern.compile("last frame: (\\d+) contours").matcher(r.out());
    assertTrue(contours.find() && Integer.parseInt(contours.group(1)) >= 3, r.out());
  }

  @Test
  void rejectsZeroIterations() {
    SegstreamCliTest.Run r = SegstreamCliTest.run("bench", "synth", "--iterations", "0");
    assertEquals(ExitCodes.USAGE, r.exitCode());
    assertTrue(r.err().contains("--iterations"), r.err());
  }
}
