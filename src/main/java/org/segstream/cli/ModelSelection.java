package org.segstream.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.segstream.model.BundledModels;
import org.segstream.model.ModelSettings;
import org.segstream.model.SegmentationModel;
import org.segstream.process.ProcessorSettings;
import org.segstream.segment.Refinement;
import picocli.CommandLine.Option;

/** Which model a command serves, and the TensorFlow threads it may use. */
final class ModelSelection {
  @Option(
      names = "--model",
      paramLabel = "DIR|NAME",
      description = "A SavedModel directory with segstream-model.json, or the name of a bundled model ("
          + BundledModels.LIVE + ", " + BundledModels.ACCURATE + ", " + BundledModels.VIDEO + "; default: "
          + BundledModels.LIVE + ").")
  Path model;

  @Option(names = "--intra-op-threads", description = "TensorFlow intra-op threads (default: half the cores when"
      + " frames are refined with the CRF, whose workers use the others; else 2).")
  Integer intraOpThreads;

  @Option(names = "--inter-op-threads", defaultValue = "1", description = "TensorFlow inter-op threads (default ${DEFAULT-VALUE}).")
  int interOpThreads;

  /** The threads given, else the processor's for this refinement ({@link ModelSettings#forProcessor}). */
  ModelSettings options(boolean refinesWithCrf) {
    int intra = intraOpThreads != null ? intraOpThreads
        : ModelSettings.forProcessor(refinesWithCrf, Runtime.getRuntime().availableProcessors()).intraOpThreads();
    if (intra < 1 || interOpThreads < 1) {
      throw new UsageException("--intra-op-threads and --inter-op-threads must be at least 1");
    }
    return new ModelSettings(intra, interOpThreads);
  }

  ModelSettings options(ProcessorSettings settings) {
    return options(settings.refinement() instanceof Refinement.Crf);
  }

  /**
   * The directory to load: --model, else the named bundled model. A --model that is no directory here but the
   * name of a bundled model is that model.
   */
  Path directory(String bundledDefault) {
    if (model != null) {
      return givenDirectory();
    }
    return BundledModels.resolve(bundledDefault)
        .orElseThrow(
            () ->
                new UsageException(
                    "no --model given and this build has no bundled model '" + bundledDefault
                        + "': train one with 'segstream train --synthetic --out DIR' and pass --model DIR"));
  }

  /** --model as a directory (a bundled model's name resolved), or null when it is not given. */
  Path givenDirectory() {
    return model == null ? null : bundledByName(model).orElse(model);
  }

  /** Whether {@code model} is a bundled model's bare name and not a directory of the working directory. */
  static boolean namesBundledModel(Path model) {
    return model.getNameCount() == 1 && !model.isAbsolute() && !Files.exists(model)
        && BundledModels.exists(model.toString());
  }

  /** The bundled model {@code model} names (extracted on first use), or empty: {@code model} is a path. */
  static Optional<Path> bundledByName(Path model) {
    return namesBundledModel(model) ? BundledModels.resolve(model.toString()) : Optional.empty();
  }

  SegmentationModel open(String bundledDefault, ProcessorSettings settings) {
    return SegmentationModel.load(directory(bundledDefault), options(settings));
  }
}
