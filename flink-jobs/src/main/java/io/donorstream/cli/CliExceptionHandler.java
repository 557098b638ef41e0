package io.donorstream.cli;

import io.donorstream.data.H5adException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures the user can act on into one clear line and exit code 2; anything else is a bug
 * and keeps its stack trace.
 */
public final class CliExceptionHandler implements IExecutionExceptionHandler {
  public static final int USER_ERROR = 2;

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    if (e instanceof UserError || e instanceof H5adException || e instanceof io.donorstream.train.TrainingDiverged || e instanceof IllegalArgumentException
        || e instanceof java.io.UncheckedIOException || e instanceof java.io.IOException) {
      cmd.getErr().println(cmd.getColorScheme().errorText("error: " + e.getMessage()));
      return USER_ERROR;
    }
    cmd.getErr().println(cmd.getColorScheme().stackTraceText(e));
    return 1;
  }

  /** A CommandLine with this handler installed on it and every subcommand. */
  public static CommandLine install(CommandLine cl) {
    cl.setExecutionExceptionHandler(new CliExceptionHandler());
    return cl;
  }
}
