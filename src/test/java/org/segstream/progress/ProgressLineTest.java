package org.segstream.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

  @ParameterizedTest(name = "{0}/{1} -> {2}")
  @CsvSource({
    "0,  49, [........................]",
    "49, 49, [########################]",
    "12, 24, [############............]",
    "99, 49, [########################]",
  })
  void barShowsTheShareDone(long done, long total, String expected) {
    assertEquals(expected, ProgressLine.bar(done, total));
  }

  @ParameterizedTest(name = "{0} s -> {1}")
  @CsvSource({"0, 0:00", "75, 1:15", "3725, 1:02:05", "-4, 0:00"})
  void clockIsMinutesAndSecondsThenHours(long seconds, String expected) {
    assertEquals(expected, ProgressLine.clock(Duration.ofSeconds(seconds)));
  }

  @Test
  void inPlaceRedrawsWithCarriageReturnsAndMessagesStartAFreshLine() {
    StringWriter text = new StringWriter();
    ProgressLine line = new ProgressLine(new PrintWriter(text), true);
    assertTrue(line.due(), "nothing drawn yet");
    line.draw("a");
    assertFalse(line.due(), "just drawn");
    line.draw("bb");
    line.message("done");
    line.message("next");
    line.endLine();
    String nl = System.lineSeparator();
    assertEquals("\ra\rbb" + nl + "done" + nl + "next" + nl, text.toString());
  }

  @Test
  void forALogFileEachRedrawIsALineOfItsOwn() {
    StringWriter text = new StringWriter();
    ProgressLine line = new ProgressLine(new PrintWriter(text), false);
    line.draw("a");
    line.draw("b");
    line.message("m");
    String nl = System.lineSeparator();
    assertEquals("a" + nl + "b" + nl + "m" + nl, text.toString());
  }

  @Test
  void aCounterThrottlesItsRedrawsAndAlwaysDrawsTheLastItem() {
    StringWriter text = new StringWriter();
    ProgressCounter counter = new ProgressCounter(new PrintWriter(text), "eval: refine off", "frames", 49);
    for (int i = 0; i < 49; i++) {
      counter.step();
    }
    counter.finish();
    String out = text.toString();
    assertTrue(Pattern.compile("\reval: refine off \\[#{24}\\] 49/49 frames  [0-9.]+/s " + System.lineSeparator() + "$")
        .matcher(out).find(), out);
    long draws = out.chars().filter(c -> c == '\r').count();
    assertTrue(draws >= 2 && draws < 49, draws + " draws for 49 steps: " + out);
  }

  @Test
  void aCounterWithoutATotalShowsTheCountAndItsEmptyStartToo() {
    StringWriter unknown = new StringWriter();
    ProgressCounter results = new ProgressCounter(new PrintWriter(unknown), "demo:", "results", 0);
    results.update(3);
    results.finish();
    assertTrue(unknown.toString().startsWith("\rdemo: 3 results  "), unknown.toString());

    StringWriter none = new StringWriter();
    new ProgressCounter(new PrintWriter(none), "eval", "images", 5).finish();
    assertTrue(none.toString().contains("[........................] 0/5 images"), none.toString());
    assertTrue(none.toString().endsWith(System.lineSeparator()), "the line is ended");
  }
}
