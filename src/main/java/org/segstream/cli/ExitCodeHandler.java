package org.segstream.cli;

import org.segstream.config.QualityGateException;
import org.segstream.config.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place that maps exceptions to exit codes: a one-line message on stderr, and the stack
 * trace only with {@code --verbose}.
 */
final class ExitCodeHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cli = ex.getCommandLine();
    cli.getErr().println("segstream: " + ex.getMessage() + " (see '" + cli.getCommandSpec().qualifiedName() + " --help')");
    if (isVerbose(args)) {
      ex.printStackTrace(cli.getErr());
    }
    return ExitCodes.USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cli, ParseResult parsed) {
    boolean verbose = isVerbose(parsed.originalArgs().toArray(String[]::new));
    cli.getErr().println("segstream: " + oneLine(ex));
    if (verbose) {
      ex.printStackTrace(cli.getErr());
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
