package org.segstream.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topics;
import org.segstream.model.BundledModels;
import org.segstream.model.SegmentationModel;
import org.segstream.process.ProcessorSettings;
import org.segstream.process.SegmentationService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segstream process}: the Kafka Streams processor, frames in, masks out, until Ctrl-C. */
@Command(
    name = "process",
    mixinStandardHelpOptions = true,
    description = {
      "Segment the frames of segstream.frames in batches and publish SegmentationResult records to segstream.masks",
      "(exactly once; bad records go to segstream.frames.dlq). Runs until Ctrl-C."
    })
final class ProcessCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;
  @Mixin ModelSelection modelSelection;
  @Mixin ProcessorOptions processorOptions;

  @Option(
      names = "--application-id",
      defaultValue = SegmentationService.DEFAULT_APPLICATION_ID,
      description = "Kafka Streams application id; instances with the same id share the work (default ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(names = "--start-timeout-s", defaultValue = "120", description = "Give up when Streams is not RUNNING after this long (default ${DEFAULT-VALUE}).")
  long startTimeoutSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ProcessorSettings settings = processorOptions.toSettings();
    KafkaSettings kafkaSettings = kafka.settings();
    PrintWriter out = spec.commandLine().getOut();
    try (SegmentationModel model = modelSelection.open(BundledModels.LIVE)) {
      try (Admin admin = Admin.create(kafkaSettings.adminProperties())) {
        Topics.ensureCreated(admin);
      }
      try (ShutdownSignal shutdown = new ShutdownSignal("segstream-process");
          SegmentationService service =
              SegmentationService.start(
                  kafkaSettings.common(), applicationId, settings, model, Duration.ofSeconds(startTimeoutSeconds))) {
        out.printf(
            "processing %s -> %s with model %s %s (batch %d / %d ms, refine %s); Ctrl-C stops%n",
            Topics.FRAMES.name(),
            Topics.MASKS.name(),
            model.metadata().name(),
            model.metadata().version(),
            settings.batchSize(),
            settings.batchMaxDelay().toMillis(),
            processorOptions.refine);
        out.flush();
        shutdown.awaitStop(service::isFailed);
        if (service.isFailed()) {
          throw new IllegalStateException("the processor stopped: " + service.failure(), service.failure());
        }
      }
    }
    return ExitCodes.OK;
  }
}
