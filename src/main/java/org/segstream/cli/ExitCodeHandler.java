package org.segstream.cli;

import java.util.List;
import org.segstream.config.QualityGateException;
import org.segstream.config.Secrets;
import org.segstream.config.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place that maps exceptions to exit codes: a one-line message on stderr, and the stack
 * trace only with {@code --verbose}. Both are masked ({@link Secrets#maskMessage}): picocli's parse
 * errors quote the arguments, and exception messages may carry URIs or settings.
 */
final class ExitCodeHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cli = ex.getCommandLine();
    List<String> arguments = List.of(args);
    cli.getErr().println("segstream: " + Secrets.maskMessage(ex.getMessage(), arguments) + " (see '"
        + cli.getCommandSpec().qualifiedName() + " --help')");
    if (isVerbose(args)) {
      cli.getErr().print(Secrets.maskStackTrace(ex, arguments));
    }
    return ExitCodes.USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cli, ParseResult parsed) {
    List<String> arguments = parsed.originalArgs();
    boolean verbose = isVerbose(arguments.toArray(String[]::new));
    cli.getErr().println("segstream: " + Secrets.maskMessage(oneLine(ex), arguments));
    if (verbose) {
      cli.getErr().print(Secrets.maskStackTrace(ex, arguments));
    } else if (!(ex instanceof UsageException) && !(ex instanceof QualityGateException)) {
      cli.getErr().println("  (run with --verbose for details)");
    }
    if (ex instanceof UsageException || ex instanceof ParameterException) {
      return ExitCodes.USAGE;
    }
    if (ex instanceof QualityGateException) {
      return ExitCodes.QUALITY_GATE;
    }
    return ExitCodes.RUNTIME_FAILURE;
  }

  static String oneLine(Throwable ex) {
    String message = ex.getMessage();
    if (message == null || message.isBlank()) {
      message = ex.getClass().getSimpleName();
    }
    Throwable cause = ex.getCause();
    if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
      message = message + ": " + cause.getMessage();
    }
    return message.replace('\n', ' ').strip();
  }

  private static boolean isVerbose(String[] args) {
    for (String a : args) {
      if (a.equals("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
