package org.segstream.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.cli.SegstreamCli;
import org.segstream.config.InvalidSettingException;

/** Where the view may listen: loopback freely, anywhere else only behind a token. */
class ViewSettingsTest {
  private static final String TOKEN = "0123456789abcdef0123";

  @Test
  void loopbackNeedsNoTokenAndEveryOtherAddressDoes() {
    new ViewSettings("127.0.0.1", 0, null, 10, Duration.ofSeconds(1));
    new ViewSettings("::1", 0, null, 10, Duration.ofSeconds(1));
    new ViewSettings("0.0.0.0", 0, TOKEN, 10, Duration.ofSeconds(1));
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> new ViewSettings("0.0.0.0", 0, null, 10, Duration.ofSeconds(1)));
    assertEquals("view-token", e.setting());
    assertTrue(e.getMessage().contains("--view-token"), e.getMessage());
    assertThrows(InvalidSettingException.class, () -> new ViewSettings("127.0.0.1", 0, "short", 10, Duration.ofSeconds(1)));
    assertThrows(InvalidSettingException.class, () -> new ViewSettings("127.0.0.1", 70000, null, 10, Duration.ofSeconds(1)));
  }

  /** A usage error (exit 2) before anything starts, the token never echoed. */
  @ParameterizedTest
  @CsvSource({
    "view --view-host 0.0.0.0, --view-token",
    "view --view-host 0.0.0.0 --view-token abc, at least",
    "run --input missing.mp4 --view-port 0 --view-host 0.0.0.0, --view-token",
  })
  void theCommandsRefuseAnOpenViewWithoutAToken(String args, String expected) {
    StringWriter err = new StringWriter();
    int code = SegstreamCli.execute(args.split(" "), Map.of(), new PrintWriter(new StringWriter(), true),
        new PrintWriter(err, true));
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains(expected), err.toString());
  }
}
