package org.segstream.cli;

import java.time.Duration;
import org.segstream.config.InvalidSettingException;
import org.segstream.process.ProcessorSettings;
import org.segstream.segment.Refinement;
import org.segstream.refine.CrfParams;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/** The processing options shared by {@code process}, {@code run}, {@code demo} and {@code eval}. */
final class ProcessorOptions {
  /** The long side a frame is refined at unless {@code --refine-max-size} says otherwise. */
  static final String REFINE_MAX_SIZE_DEFAULT = "224";

  enum RefineMode {
    off,
    crf,
    /** eval only: every figure with the CRF off and on. */
    both
  }

  enum Tracking {
    on,
    off
  }

  enum Temporal {
    on,
    off
  }

  @Option(names = "--batch-size", defaultValue = "8", description = "Frames per model call (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--batch-max-delay-ms",
      defaultValue = "20",
      description = "Flush a partial batch when its oldest frame has waited this long (default ${DEFAULT-VALUE}).")
  long batchMaxDelayMs;

  @Option(
      names = "--refine",
      defaultValue = "crf",
      description = {
        "Refinement of the model's output: off or crf; eval also takes both (default ${DEFAULT-VALUE}).",
        "crf = dense CRF (Potts) at --refine-max-size: contours follow the image's edges; off = argmax of the",
        "upsampled probabilities, cheaper per frame: see BENCHMARKS.md."
      })
  RefineMode refine;

  @Option(
      names = "--refine-max-size",
      defaultValue = REFINE_MAX_SIZE_DEFAULT,
      description = "The CRF runs on the frame scaled to this long side, px (default ${DEFAULT-VALUE}).")
  int refineMaxSize;

  @Option(names = "--crf-iterations", defaultValue = "2", description = "Mean-field iterations (default ${DEFAULT-VALUE}).")
  int crfIterations;

  @Option(names = "--crf-theta-alpha", defaultValue = "160", description = "Appearance kernel, position scale px (default ${DEFAULT-VALUE}).")
  double crfThetaAlpha;

  @Option(names = "--crf-theta-beta", defaultValue = "13", description = "Appearance kernel, colour scale (default ${DEFAULT-VALUE}).")
  double crfThetaBeta;

  @Option(names = "--crf-theta-gamma", defaultValue = "3", description = "Smoothness kernel, position scale px (default ${DEFAULT-VALUE}).")
  double crfThetaGamma;

  @Option(names = "--crf-appearance-weight", defaultValue = "1", description = "Appearance kernel weight w1 (default ${DEFAULT-VALUE}).")
  double crfAppearanceWeight;

  @Option(names = "--crf-smoothness-weight", defaultValue = "0.5", description = "Smoothness kernel weight w2 (default ${DEFAULT-VALUE}).")
  double crfSmoothnessWeight;

  @Option(
      names = "--contour-epsilon",
      defaultValue = "1.5",
      description = "Douglas-Peucker tolerance of contours, px (default ${DEFAULT-VALUE}; 0 keeps every vertex).")
  double contourEpsilon;

  @Option(
      names = "--contour-min-area",
      defaultValue = "16",
      description = "Drop components smaller than this, px² (default ${DEFAULT-VALUE}).")
  double contourMinArea;

  @Option(
      names = "--max-frame-pixels",
      defaultValue = "40000000",
      description = {
        "The largest frame decoded, width × height as its header declares it (default ${DEFAULT-VALUE} = 40 MP).",
        "Larger frames go to the dead-letter topic before any pixel is allocated. A model call also takes at",
        "most this many pixels in all (a batch of large frames is split). Size the heap for the largest frame."
      })
  long maxFramePixels;

  @Option(
      names = "--latency-budget-ms",
      defaultValue = "0",
      paramLabel = "MS",
      description = {
        "Keep capture -> result within this many ms, for a live camera (default ${DEFAULT-VALUE} = off; "
            + LIVE_LATENCY_BUDGET_MS + " suits 30 fps; run with live sources only, and demo at the native rate: "
            + LIVE_LATENCY_BUDGET_MS + ").",
        "A frame that would miss it is refined at half the refine size, or not refined, or - when even the model",
        "cannot keep up - skipped; its result says what was left out and why (leftOut). Off by default: a replay",
        "at --rate max or a backlog after downtime is all past any budget and would be answered mostly skipped."
      })
  long latencyBudgetMs;

  /**
   * The budget of live streams (`run` with live sources only, `bench load`) unless told otherwise: about six
   * frames of a 30 fps camera, and below the delay at which a live view stops feeling live.
   */
  static final long LIVE_LATENCY_BUDGET_MS = 200;

  /**
   * The settings with {@link #LIVE_LATENCY_BUDGET_MS} as the budget when the user set none: not on the command
   * line, nor in SEGSTREAM_LATENCY_BUDGET_MS or the --config file (an explicit 0 there keeps the budget off).
   */
  static ProcessorSettings withLiveBudgetUnlessGiven(ProcessorSettings settings, CommandSpec spec) {
    OptionSpec option = spec.findOption("--latency-budget-ms");
    boolean onCommandLine = spec.commandLine().getParseResult().hasMatchedOption("--latency-budget-ms");
    IDefaultValueProvider provider = spec.commandLine().getDefaultValueProvider();
    boolean inSettings = option != null && provider != null && defaultFrom(provider, option) != null;
    if (onCommandLine || inSettings) {
      return settings;
    }
    return settings.withLatencyBudget(Duration.ofMillis(LIVE_LATENCY_BUDGET_MS));
  }

  private static String defaultFrom(IDefaultValueProvider provider, OptionSpec option) {
    try {
      return provider.defaultValue(option);
    } catch (Exception e) {
      throw new UsageException("cannot read the setting latency-budget-ms: " + e.getMessage());
    }
  }

  @Option(
      names = "--tracking",
      defaultValue = "on",
      description = "Objects (foreground components) with ids kept from frame to frame of each stream, in the results' "
          + "instances: on or off (default ${DEFAULT-VALUE}).")
  Tracking tracking;

  @Option(
      names = "--temporal",
      defaultValue = "on",
      description = "Blend each stream's model output with its previous frame's where the picture is still (reset at a "
          + "scene cut, a discontinuity and the stream's end), so masks do not flicker: on or off (default ${DEFAULT-VALUE}).")
  Temporal temporal;

  /** The settings of a live service: --refine as given, with the latency budget. */
  ProcessorSettings toSettings() {
    if (refine == RefineMode.both) {
      throw new UsageException("--refine both is for eval only: give --refine off or --refine crf");
    }
    if (latencyBudgetMs < 0) {
      throw new UsageException("--latency-budget-ms must be 0 (off) or more, got " + latencyBudgetMs);
    }
    return toSettings(refine == RefineMode.crf).withLatencyBudget(Duration.ofMillis(latencyBudgetMs));
  }

  /** The settings with trackers for at most the streams {@code --max-streams} allows (0 there: one). */
  ProcessorSettings toSettings(MetricsOptions streamCap) {
    ProcessorSettings settings = toSettings();
    return settings.withTracking(settings.tracking(), Math.max(1, streamCap.maxStreams));
  }

  /**
   * The settings with the CRF on or off whatever --refine says (eval runs both for --refine both),
   * without a latency budget: every frame fully processed.
   */
  ProcessorSettings toSettings(boolean crf) {
    try {
      Refinement refinement =
          crf
              ? new Refinement.Crf(
                  new CrfParams(crfThetaAlpha, crfThetaBeta, crfThetaGamma, crfAppearanceWeight, crfSmoothnessWeight, crfIterations),
                  refineMaxSize)
              : Refinement.off();
      return new ProcessorSettings(batchSize, Duration.ofMillis(batchMaxDelayMs), refinement, contourEpsilon, contourMinArea)
          .withMaxFramePixels(maxFramePixels)
          .withTracking(tracking != Tracking.off, ProcessorSettings.DEFAULT_MAX_STREAMS)
          .withTemporal(temporal != Temporal.off);
    } catch (InvalidSettingException e) {
      throw e; // the exit-code handler names the flag
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage()); // the CRF parameters
    }
  }
}
