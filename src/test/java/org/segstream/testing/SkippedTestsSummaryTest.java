package org.segstream.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SkippedTestsSummaryTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "shared data /x/shared/data/davis is absent (put ../shared/data beside the project); skipping | ../shared/data is absent",
        "the tool 'ffmpeg' is not on the PATH (apt-get install it; see README); skipping | ffmpeg is not on the PATH",
        "GStreamer's RTSP server is missing; skipping | GStreamer's RTSP server is missing",
        "'' | no reason given",
      })
  void groupsSkipMessagesByWhatIsMissing(String message, String reason) {
    assertEquals(reason, SkippedTestsSummary.reason(message));
  }

  @Test
  void theLineCountsEverySkipAndSaysWhy() {
    Map<String, Integer> skipped = new TreeMap<>(Map.of("../shared/data is absent", 7, "ffmpeg is not on the PATH", 2));
    assertEquals(
        "9 of 40 skipped: 7 because ../shared/data is absent; 2 because ffmpeg is not on the PATH"
            + " (SEGSTREAM_REQUIRE_ALL=1 turns these skips into failures)",
        SkippedTestsSummary.describe(skipped, 40));
    assertEquals("none of 40 skipped", SkippedTestsSummary.describe(new TreeMap<>(), 40));
  }
}
