package org.segstream.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.segstream.config.Secrets;
import org.segstream.kafka.KafkaSettings;
import org.segstream.telemetry.StreamLabels;
import org.segstream.view.ViewServer;
import org.segstream.view.ViewSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segstream view}: the live view on its own, beside a running pipeline: reads the frames, results and dead
 * letters from the topics' ends (outside the processor's path) and serves them until Ctrl-C.
 */
@Command(
    name = "view",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a live view of every stream in the browser: masks, contours, instance ids.",
      "A live view in the browser: every stream's frames with their masks tinted, contours and instance ids drawn,",
      "fps, latency and dead letters, read from the topics (it does not slow the processor). Runs until Ctrl-C."
    })
final class ViewCommand implements Callable<Integer> {
  static final int DEFAULT_PORT = 8080;

  @Mixin KafkaOptions kafka;
  @Mixin ViewOptions view;
  @Mixin ValueFormatOptions valueFormat;

  @Option(names = "--max-streams", paramLabel = "N", defaultValue = "" + StreamLabels.DEFAULT_MAX_STREAMS,
      description = "Follow at most N streams at once (first come; a stream's place frees a minute after its last record) "
          + "(default ${DEFAULT-VALUE}).")
  int maxStreams;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ViewSettings settings = view.settings(view.viewPort == null ? DEFAULT_PORT : view.viewPort, maxStreams);
    PrintWriter out = spec.commandLine().getOut();
    KafkaSettings cluster = valueFormat.applyTo(kafka.settings());
    try (ShutdownSignal shutdown = new ShutdownSignal("segstream-view");
        ViewServer server = ViewServer.start(cluster, settings)) {
      out.printf("live view at %s/ (topics at %s); Ctrl-C stops%n", server.baseUri(),
          Secrets.maskServers(cluster.bootstrapServers()));
      out.flush();
      shutdown.awaitStop(() -> false);
    }
    return ExitCodes.OK;
  }
}
