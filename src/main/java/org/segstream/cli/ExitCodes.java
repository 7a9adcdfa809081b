package org.segstream.cli;

/** The exit codes of every subcommand. */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int RUNTIME_FAILURE = 1;
  public static final int USAGE = 2;
  public static final int QUALITY_GATE = 3;

  private ExitCodes() {}
}
