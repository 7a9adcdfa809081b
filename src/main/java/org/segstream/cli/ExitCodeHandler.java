package org.segstream.cli;

import java.util.List;
import org.segstream.config.InvalidSettingException;
import org.segstream.config.Secrets;
import org.segstream.dataset.DatasetException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place that maps exceptions to exit codes: a one-line message on stderr, and the stack
 * trace only with {@code --verbose}. Both are masked ({@link Secrets#maskMessage}): picocli's parse
 * errors quote the arguments, and exception messages may carry URIs or settings.
 *
 * <p>By meaning: what the user gave cannot work ({@link UsageException} from the commands, picocli's
 * parse errors, {@link InvalidSettingException} and {@link DatasetException} from the domain) → 2; a
 * quality gate failed ({@link QualityGateException}) → 3; anything else failed at run time → 1. Domain
 * messages name a setting by what it means; the flag it is set with is added here.
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
    int code = exitCode(ex);
    if (verbose) {
      cli.getErr().print(Secrets.maskStackTrace(ex, arguments));
    } else if (code == ExitCodes.RUNTIME_FAILURE || ex instanceof ParameterException) {
      cli.getErr().println("  (run with --verbose for details)");
    }
    return code;
  }

  /** The exit code of an exception, by what it means. */
  static int exitCode(Exception ex) {
    if (ex instanceof UsageException
        || ex instanceof ParameterException
        || ex instanceof InvalidSettingException
        || ex instanceof DatasetException) {
      return ExitCodes.USAGE;
    }
    if (ex instanceof QualityGateException) {
      return ExitCodes.QUALITY_GATE;
    }
    return ExitCodes.RUNTIME_FAILURE;
  }

  /**
   * {@code " (--batch-size)"} for a bad setting: the flag that sets it (its key with two dashes; the same key
   * names it in {@code --config} files and {@code SEGSTREAM_*} variables); empty when the message names it already.
   */
  static String flagHint(Exception ex) {
    if (ex instanceof InvalidSettingException bad && bad.setting() != null) {
      String flag = "--" + bad.setting();
      String message = String.valueOf(ex.getMessage());
      if (!message.contains(flag)) {
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
