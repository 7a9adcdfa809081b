package org.segstream.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.segstream.config.SecretMaskingWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code segstream} command. {@code main} only wires the subcommands and the exit-code handler. */
@Command(
    name = "segstream",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Streaming video segmentation: video -> Kafka -> TensorFlow -> masks.",
    subcommands = {
      CommandLine.HelpCommand.class,
      BenchCommand.class,
      BrokerCommand.class,
      DemoCommand.class,
      EvalCommand.class,
      IngestCommand.class,
      ProcessCommand.class,
      RunCommand.class,
      TailCommand.class,
      TrainCommand.class,
      ViewCommand.class,
    })
public final class SegstreamCli implements Runnable {

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Print the stack trace of an error (debug logging: SEGSTREAM_LOG_LEVEL=DEBUG).")
  boolean verbose;

  @Option(
      names = "--config",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "Properties file of settings (key = flag name without dashes). Flags and SEGSTREAM_* "
              + "environment variables take precedence over it.")
  java.nio.file.Path config;

  @Option(
      names = "--log-format",
      scope = ScopeType.INHERIT,
      paramLabel = "text|json",
      defaultValue = "text",
      description =
          "Log lines on stderr as text (default) or as one JSON object per line (Logback's JsonEncoder, secrets masked).")
  LogFormat logFormat;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
  }

  public static void main(String[] args) {
    System.exit(execute(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Runs the command line and returns its exit code; tests call this with their own streams. Both
   * streams mask secrets ({@link SecretMaskingWriter}), whatever a command prints.
   */
  public static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    CommandLine cli = newCommandLine(env, args);
    PrintWriter maskedOut = new PrintWriter(new SecretMaskingWriter(out), true);
    PrintWriter maskedErr = new PrintWriter(new SecretMaskingWriter(err), true);
    cli.setOut(maskedOut);
    cli.setErr(maskedErr);
    try {
      return cli.execute(args);
    } finally {
      maskedOut.flush();
      maskedErr.flush();
    }
  }

  static CommandLine newCommandLine(Map<String, String> env, String[] args) {
    CommandLine cli = new CommandLine(new SegstreamCli());
    cli.setDefaultValueProvider(SettingsDefaultProvider.fromArgs(args, env));
    ExitCodeHandler handler = new ExitCodeHandler();
    cli.setExecutionExceptionHandler(handler);
    cli.setParameterExceptionHandler(handler);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionStrategy(parsed -> {
      logFormat(parsed).apply();
      return new CommandLine.RunLast().execute(parsed);
    });
    return cli;
  }

  /** --log-format as given on any level of the command line, else its default (SEGSTREAM_LOG_FORMAT, --config, text). */
  static LogFormat logFormat(CommandLine.ParseResult parsed) {
    LogFormat given = null;
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--log-format")) {
        given = p.matchedOptionValue("--log-format", LogFormat.TEXT);
      }
    }
    return given != null ? given : parsed.commandSpec().findOption("--log-format").getValue();
  }
}
