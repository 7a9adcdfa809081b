package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.segstream.process.ProcessorSettings;
import org.segstream.segment.Refinement;
import org.segstream.refine.CrfParams;
import picocli.CommandLine;

/** The processor options' defaults are the documented ones, and {@code both} stays eval's. */
class ProcessorOptionsTest {
  private static ProcessorSettings parse(String... args) {
    ProcessorOptions options = new ProcessorOptions();
    new CommandLine(options).parseArgs(args);
    return options.toSettings();
  }

  @Test
  void refinementIsTheCrfUnlessSwitchedOff() {
    assertInstanceOf(Refinement.Crf.class, parse().refinement());
    assertInstanceOf(Refinement.Off.class, parse("--refine", "off").refinement());
  }

  @Test
  void crfDefaultsAreTheTunedParametersAt224() {
    Refinement.Crf crf = assertInstanceOf(Refinement.Crf.class, parse("--refine", "crf").refinement());
    assertEquals(CrfParams.TUNED, crf.params());
    assertEquals(224, crf.maxSize());
  }

  @Test
  void everyCrfParameterCanBeOverridden() {
    Refinement.Crf crf = assertInstanceOf(Refinement.Crf.class, parse("--refine", "crf", "--crf-appearance-weight", "10",
        "--crf-smoothness-weight", "3", "--crf-theta-alpha", "60", "--crf-theta-beta", "20", "--crf-theta-gamma", "2",
        "--crf-iterations", "3").refinement());
    assertEquals(new CrfParams(60, 20, 2, 10, 3, 3), crf.params());
  }

  @Test
  void bothIsRejectedOutsideEval() {
    UsageException e = assertThrows(UsageException.class, () -> parse("--refine", "both"));
    assertEquals("--refine both is for eval only: give --refine off or --refine crf", e.getMessage());
  }

  @Test
  void theTemporalStepIsOnUnderTheStreamCapUnlessSwitchedOff() {
    ProcessorSettings on = parse();
    assertEquals(ProcessorSettings.DEFAULT_MAX_STREAMS, on.temporalSmoothing().orElseThrow().maxStreams());
    MetricsOptions cap = new MetricsOptions();
    new CommandLine(cap).parseArgs("--max-streams", "7");
    ProcessorOptions options = new ProcessorOptions();
    new CommandLine(options).parseArgs();
    assertEquals(7, options.toSettings(cap).temporalSmoothing().orElseThrow().maxStreams());
    assertFalse(parse("--temporal", "off").temporalSmoothing().isPresent());
    assertFalse(parse("--temporal", "off", "--tracking", "off").tracking());
  }
}
