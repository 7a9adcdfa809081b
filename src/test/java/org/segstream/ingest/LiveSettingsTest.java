package org.segstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.config.InvalidSettingException;

/** Back-off, retry limits, durations, and which --input names which kind of source (credentials masked). */
class LiveSettingsTest {

  @ParameterizedTest
  @CsvSource({"1, 1000", "2, 2000", "3, 4000", "4, 8000", "5, 16000", "6, 30000", "7, 30000", "40, 30000"})
  void backoffDoublesFromOneSecondUpToThirty(int retry, long millis) {
    assertEquals(Duration.ofMillis(millis), LiveSettings.backoff(retry));
  }

  @Test
  void retriesAreUnlimitedByDefaultAndCountedWhenLimited() {
    LiveSettings unlimited = LiveSettings.defaults();
    assertTrue(unlimited.mayRetry(1_000_000));
    LiveSettings two = unlimited.withMaxRetries(2);
    assertTrue(two.mayRetry(0));
    assertTrue(two.mayRetry(1));
    assertFalse(two.mayRetry(2));
    assertFalse(unlimited.withMaxRetries(0).mayRetry(0));
  }

  @ParameterizedTest
  @CsvSource({"5, 5000", "5s, 5000", "2.5s, 2500", "500ms, 500", "1m, 60000", " 3 S , 3000"})
  void durations(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), LiveSettings.parseDuration("stall-timeout", text));
  }

  @Test
  void badValuesAreUsageErrors() {
    assertThrows(InvalidSettingException.class, () -> LiveSettings.parseDuration("stall-timeout", "soon"));
    assertThrows(InvalidSettingException.class, () -> LiveSettings.defaults().withRtspTransport("quic"));
    assertThrows(InvalidSettingException.class, () -> LiveSettings.defaults().withStallTimeout(Duration.ofMillis(10)));
    assertThrows(InvalidSettingException.class, () -> LiveSettings.defaults().withMaxRetries(-2));
    assertThrows(InvalidSettingException.class, () -> LiveSettings.defaults().withMaxFps(-1));
    assertThrows(InvalidSettingException.class, () -> LiveSettings.defaults().withQueueCapacity(0));
    assertThrows(InvalidSettingException.class, () -> LiveSettings.defaults().withDropPolicy(DropPolicy.BLOCK));
    assertThrows(InvalidSettingException.class, () -> DropPolicy.parse("sideways"));
    assertEquals(DropPolicy.NEWEST, DropPolicy.parse(" Newest "));
  }

  @ParameterizedTest
  @CsvSource({
    "rtsp://cam.local:554/stream1, RTSP, rtsp://cam.local:554/stream1",
    "rtsp://admin:hunter2@10.0.0.7/h264, RTSP, rtsp://***@10.0.0.7/h264",
    "http://user:pw@host:8080/video.mjpg, HTTP, http://***@host:8080/video.mjpg",
    "rtsp://admin:p/w@x@10.0.0.7/h264, RTSP, rtsp://***@10.0.0.7/h264",
    "rtsp://TOKEN4f9a@cam/live, RTSP, rtsp://***@cam/live",
    "https://cdn.example/live.m3u8?token=hunter2&fps=5, HTTP, https://cdn.example/live.m3u8?token=***&fps=5",
    "https://example.org/live/index.m3u8, HTTP, https://example.org/live/index.m3u8",
    "/dev/video2, CAMERA, /dev/video2",
    "camera:0, CAMERA, /dev/video0",
  })
  void inputsNameTheirKindAndShowNoPassword(String input, LiveSource.Kind kind, String shown) {
    FrameSource source = FrameSource.of(input, LiveSettings.defaults());
    LiveSource live = assertInstanceOf(LiveSource.class, source);
    assertEquals(kind, live.kind());
    assertEquals(shown, live.uri());
    assertTrue(live.live());
    assertInstanceOf(Pacing.Max.class, live.defaultPacing());
    assertFalse(live.toString().contains("hunter2") || live.toString().contains(":pw@") || live.toString().contains("TOKEN"), live.toString());
  }

  @Test
  void filesStayFilesAndUnknownSchemesAreUsageErrors() {
    assertInstanceOf(FileSource.class, FrameSource.of("video/cat.mp4"));
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> FrameSource.of("ftp://u:topsecret@h/x.mp4"));
    assertTrue(e.getMessage().contains("ftp://***@h/x.mp4") && !e.getMessage().contains("topsecret"), e.getMessage());
  }
}
