package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.segstream.config.InvalidSettingException;
import org.segstream.dataset.DatasetException;
import org.segstream.ingest.IngestException;
import org.segstream.kafka.KafkaSetupException;
import org.segstream.model.ModelLoadException;

/** Exceptions map to exit codes by what they mean, in one place; a bad setting's message gains its flag. */
class ExitCodeHandlerTest {

  static Stream<Arguments> exceptions() {
    return Stream.of(
        Arguments.of(new UsageException("x"), ExitCodes.USAGE),
        Arguments.of(new InvalidSettingException("rate", "x"), ExitCodes.USAGE),
        Arguments.of(new DatasetException(Path.of("set"), "x"), ExitCodes.USAGE),
        Arguments.of(new QualityGateException("x"), ExitCodes.QUALITY_GATE),
        Arguments.of(new ModelLoadException("x"), ExitCodes.RUNTIME_FAILURE),
        Arguments.of(new KafkaSetupException("x"), ExitCodes.RUNTIME_FAILURE),
        Arguments.of(new IngestException("x"), ExitCodes.RUNTIME_FAILURE),
        Arguments.of(new IllegalArgumentException("x"), ExitCodes.RUNTIME_FAILURE),
        Arguments.of(new IllegalStateException("x"), ExitCodes.RUNTIME_FAILURE));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("exceptions")
  void theExitCodeFollowsTheMeaning(Exception e, int code) {
    assertEquals(code, ExitCodeHandler.exitCode(e));
  }

  @Test
  void aBadSettingIsShownWithItsFlag() {
    assertEquals(" (--rate)", ExitCodeHandler.flagHint(new InvalidSettingException("rate", "frame rate 'fast': give ...")));
    assertEquals("", ExitCodeHandler.flagHint(new InvalidSettingException("rate", "--rate fast: give ...")), "named already");
    assertEquals("", ExitCodeHandler.flagHint(new InvalidSettingException(null, "no key")));
    assertEquals("", ExitCodeHandler.flagHint(new UsageException("--rate")));
  }

  @Test
  void theCommandLineShowsTheFlagOfADomainSetting(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Path file = java.nio.file.Files.write(tmp.resolve("clip.mp4"), new byte[] {1});
    SegstreamCliTest.Run r = SegstreamCliTest.run("ingest", "--input", file.toString(), "--stream-id", "s", "--rate", "fast");
    assertEquals(ExitCodes.USAGE, r.exitCode(), r.err());
    assertTrue(r.err().contains("frame rate 'fast': give native, max or a positive number of frames/s (--rate)"), r.err());
  }
}
