package org.segstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.segstream.config.InvalidSettingException;

class PacingTest {

  @ParameterizedTest
  @CsvSource({"native, native", "NATIVE, native", "max, max", " Max , max", "30, 30.0 fps", "2.5, 2.5 fps"})
  void parsesTheRateFlag(String text, String expected) {
    assertEquals(expected, Pacing.parse(text).toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-3", "fast", "", "NaN", "Infinity"})
  void rejectsBadRatesAsUsageErrors(String text) {
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> Pacing.parse(text));
    assertEquals("rate", e.setting());
    assertTrue(e.getMessage().contains("frame rate '" + text + "'"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"1280, 720, 640, 640, 360", "320, 568, 284, 160, 284", "101, 33, 50, 50, 16", "100, 50, 0, 100, 50", "100, 50, 200, 100, 50"})
  void fitsTheLongSide(int w, int h, int maxSize, int expectedW, int expectedH) {
    int[] size = FrameEncoder.fitWithin(w, h, maxSize);
    assertEquals(expectedW, size[0]);
    assertEquals(expectedH, size[1]);
  }
}
