package org.segstream.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.segstream.avro.DeadLetterStage;
import org.segstream.segment.LeftOut;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.segstream.config.Secrets;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topics;
import org.segstream.model.BundledModels;
import org.segstream.model.InputGeometry;
import org.segstream.model.SegmentationModel;
import org.segstream.process.InstanceIdentity;
import org.segstream.process.ProcessorSettings;
import org.segstream.process.SegmentationService;
import org.segstream.telemetry.PipelineMetrics;
import org.segstream.telemetry.PrometheusMetrics;
import org.segstream.telemetry.StreamsHealth;
import org.segstream.telemetry.TelemetryServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/** {@code segstream process}: the Kafka Streams processor, frames in, masks out, until Ctrl-C. */
@Command(
    name = "process",
    mixinStandardHelpOptions = true,
    description = {
      "Segment the frames on Kafka and publish masks and contours, exactly once.",
      "Segment the frames of segstream.frames in batches and publish SegmentationResult records to segstream.masks",
      "(exactly once; bad records go to segstream.frames.dlq). Runs until Ctrl-C.",
      "Instances with the same --application-id share the frames topic's partitions (scale out by starting more)."
    })
final class ProcessCommand implements Callable<Integer> {
  /** After a stop, /health keeps answering 503 this long so probes and a last scrape see it. */
  private static final Duration TELEMETRY_LINGER = Duration.ofSeconds(1);

  @Mixin KafkaOptions kafka;
  @Mixin ValueFormatOptions valueFormat;
  @Mixin ModelSelection modelSelection;
  @Mixin ProcessorOptions processorOptions;
  @Mixin MetricsOptions metricsOptions;
  @Mixin GuaranteeOption guarantee;

  @Option(
      names = "--application-id",
      defaultValue = SegmentationService.DEFAULT_APPLICATION_ID,
      description = "Kafka Streams application id; instances with the same id share the work (default ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(
      names = "--instance-id",
      paramLabel = "ID",
      description = {
        "This instance's stable id: its static group membership and transactional id, so a restart after a crash takes",
        "its partitions back at once (default: the host name). Every running instance of one application id needs its own;",
        "two live instances with one id fence each other (DEPLOY.md)."
      })
  String instanceId;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "This instance's Kafka Streams state directory, locked while it runs "
          + "(default: ~/.cache/segstream/streams/<application-id>/<instance-id>).")
  Path stateDir;

  @Option(names = "--start-timeout-s", defaultValue = "120", description = "Give up when Streams is not RUNNING after this long (default ${DEFAULT-VALUE}).")
  long startTimeoutSeconds;

  @Option(
      names = "--print-config",
      description = "Print the effective configuration (every option and the Kafka Streams properties, secrets masked) and exit without connecting.")
  boolean printConfig;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ProcessorSettings settings = processorOptions.toSettings(metricsOptions);
    KafkaSettings kafkaSettings = valueFormat.applyTo(kafka.settings());
    InstanceIdentity identity = identity(kafkaSettings);
    PrintWriter out = spec.commandLine().getOut();
    guarantee.check(kafkaSettings, kafka.kafkaConfig, spec.commandLine().getErr());
    if (printConfig) {
      printConfig(out, kafkaSettings, identity);
      return ExitCodes.OK;
    }
    StreamsHealth health = new StreamsHealth();
    try (ShutdownSignal shutdown = new ShutdownSignal("segstream-process");
        PrometheusMetrics metrics = metricsOptions.create("process");
        TelemetryServer telemetry = metricsOptions.start(metrics, health, out)) {
      if (metrics != null) {
        metrics.registerStreamsState(health::state);
        metrics.registerDeadLetterStages(Arrays.stream(DeadLetterStage.values()).map(Enum::name).toList());
        metrics.registerLeftOutParts(Arrays.stream(LeftOut.Part.values()).map(Enum::name).toList());
      }
      run(settings, kafkaSettings, identity, out, shutdown, metrics == null ? PipelineMetrics.NONE : metrics, health);
      if (telemetry != null) {
        Thread.sleep(TELEMETRY_LINGER.toMillis());
      }
    }
    return ExitCodes.OK;
  }

  private void run(
      ProcessorSettings settings,
      KafkaSettings kafkaSettings,
      InstanceIdentity identity,
      PrintWriter out,
      ShutdownSignal shutdown,
      PipelineMetrics metrics,
      StreamsHealth health)
      throws InterruptedException {
    try (SegmentationModel model = modelSelection.open(BundledModels.LIVE, settings)) {
      health.modelLoaded();
      try (Admin admin = Admin.create(kafkaSettings.adminProperties())) {
        Topics.ensureCreated(admin);
      }
      try (SegmentationService service =
          SegmentationService.start(
              kafkaSettings.common(),
              applicationId,
              identity,
              settings,
              model,
              Duration.ofSeconds(startTimeoutSeconds),
              metrics,
              health)) {
        out.printf(
            "processing %s -> %s with model %s %s (input %s, batch %d / %d ms, refine %s) as instance %s of %s;"
                + " Ctrl-C stops%n",
            Topics.FRAMES.name(),
            Topics.MASKS.name(),
            model.metadata().name(),
            model.metadata().version(),
            InputGeometry.of(model.metadata()).describe(),
            settings.batchSize(),
            settings.batchMaxDelay().toMillis(),
            processorOptions.refine,
            identity.id(),
            applicationId);
        out.flush();
        shutdown.awaitStop(service::isFailed);
        if (service.isFailed()) {
          if (fencedByTwin(service.failure())) {
            throw new IllegalStateException("the processor stopped: another process joined application " + applicationId
                + " with the same --instance-id " + identity.id() + " and took over its partitions; two live instances"
                + " with one id fence each other: give each instance its own stable --instance-id", service.failure());
          }
          throw new IllegalStateException("the processor stopped: " + service.failure(), service.failure());
        }
      }
    }
  }

  private static boolean fencedByTwin(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof FencedInstanceIdException) {
        return true;
      }
    }
    return false;
  }

  /** --instance-id and --state-dir, or their defaults; the instance id comes from no other place. */
  private InstanceIdentity identity(KafkaSettings kafkaSettings) {
    if (kafkaSettings.clientProperties().containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)) {
      throw new UsageException("--kafka-config sets " + ConsumerConfig.GROUP_INSTANCE_ID_CONFIG
          + ": give --instance-id instead (it also names the transactional producer and the state directory)");
    }
    String id = instanceId != null ? instanceId : InstanceIdentity.defaultId();
    // a bad id is an InvalidSettingException: exit code 2, its flag named by the handler
    return new InstanceIdentity(id, stateDir != null ? stateDir : InstanceIdentity.defaultStateDir(applicationId, id));
  }

  /** Every option's effective value (as a --config file would hold it), then the Streams properties. */
  private void printConfig(PrintWriter out, KafkaSettings kafkaSettings, InstanceIdentity identity) {
    out.println("# segstream process: effective options (flag > SEGSTREAM_<FLAG> > --config file > default)");
    Map<String, String> options = new TreeMap<>();
    for (OptionSpec option : spec.options()) {
      if (option.usageHelp() || option.versionHelp() || option.longestName().equals("--print-config")) {
        continue;
      }
      String key = option.longestName().replaceFirst("^-+", "");
      Object value = option.getValue();
      String shown;
      if (value != null) {
        shown = Secrets.maskSetting(key, String.valueOf(value));
      } else if (key.equals("model")) {
        shown = "(bundled " + BundledModels.LIVE + ")";
      } else if (key.equals("bootstrap-servers")) {
        shown = Secrets.maskServers(kafkaSettings.bootstrapServers()) + "   # resolved";
      } else if (key.equals("instance-id")) {
        shown = identity.id() + "   # resolved";
      } else if (key.equals("state-dir")) {
        shown = identity.stateDir() + "   # resolved";
      } else {
        shown = "(unset)";
      }
      options.put(key, shown);
    }
    options.forEach((k, v) -> out.println(k + "=" + v));
    out.println("# Kafka Streams properties");
    Properties props = SegmentationService.streamsProperties(kafkaSettings.common(), applicationId, identity);
    new TreeMap<>(props).forEach((k, v) -> out.println(k + "=" + Secrets.maskSetting(String.valueOf(k), String.valueOf(v))));
    out.flush();
  }
}
