package org.segstream.cli;

import java.util.List;
import org.segstream.config.InvalidSettingException;
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
    cli.getErr().println("segstream: " + Secrets.maskMessage(oneLine(ex) + flagHint(ex), arguments));
    if (verbose) {
      cli.getErr().print(Secrets.maskStackTrace(ex, arguments));
    } else if (!(ex instanceof UsageException) && !(ex instanceof InvalidSettingException)
        && !(ex instanceof QualityGateException)) {
      cli.getErr().println("  (run with --verbose for details)");
    }
    if (ex instanceof UsageException || ex instanceof ParameterException || ex instanceof InvalidSettingException) {
      return ExitCodes.USAGE;
    }
    if (ex instanceof QualityGateException) {
      return ExitCodes.QUALITY_GATE;
    }
    return ExitCodes.RUNTIME_FAILURE;
  }

  /**
   * {@code " (--repeat)"} for a bad setting: the flag that sets it (its key with two dashes); empty when the
   * message names it already. Domain messages name a setting by what it means.
   */
  static String flagHint(Exception ex) {
    if (ex instanceof InvalidSettingException bad && bad.setting() != null) {
      String flag = "--" + bad.setting();
      if (!String.valueOf(ex.getMessage()).contains(flag)) {
        return " (" + flag + ")";
      }
    }
    return "";
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
