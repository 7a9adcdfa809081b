package org.segstream.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.kafka.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code segstream broker}: a single-node Kafka broker in the foreground, for trying the commands by hand. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Run a single-node Kafka broker with Segstream's topics, in the foreground.",
      "Run a single-node Kafka broker (KRaft) on 127.0.0.1 in the foreground, with Segstream's topics "
          + "created; Ctrl-C stops it.",
      "Then run ingest, process and tail with --bootstrap-servers 127.0.0.1:<port> (their default is 127.0.0.1:9092)."
    })
final class BrokerCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "9092", paramLabel = "PORT",
      description = "Client port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Keep the log here across runs (default: a temporary directory deleted on exit).")
  Path dataDir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    EmbeddedBroker.Settings options = EmbeddedBroker.Settings.defaults().withPort(port).withDataDir(dataDir);
    EmbeddedBroker broker = EmbeddedBroker.start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    // Ctrl-C (SIGINT) and SIGTERM run shutdown hooks: stop the broker cleanly there
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        broker.close();
      } finally {
        stopped.countDown();
      }
    }, "segstream-broker-shutdown"));
    spec.commandLine().getOut().printf("Kafka broker ready at %s in %d ms (log dir %s%s)%n", broker.bootstrapServers(),
        broker.startupTime().toMillis(), broker.dataDir(), dataDir == null ? ", deleted on exit" : "");
    spec.commandLine().getOut().printf("topics: %s%n",
        Topics.all().stream().map(t -> t.name() + " (" + t.partitions() + ")").toList());
    spec.commandLine().getOut().printf("use: --bootstrap-servers %s; Ctrl-C stops the broker%n", broker.bootstrapServers());
    spec.commandLine().getOut().flush();
    stopped.await();
    return ExitCodes.OK;
  }
}
