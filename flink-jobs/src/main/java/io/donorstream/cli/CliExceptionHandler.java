package io.donorstream.cli;

import io.donorstream.artifact.ArtifactException;
import io.donorstream.data.H5adException;
import io.donorstream.kafka.KafkaAccessException;
import io.donorstream.train.TrainingDiverged;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one error path of every command: a mistake the user can act on (a bad option, a missing
 * file, a model directory that is not an artifact, a run that diverged) is one {@code error: …}
 * line and exit code 2; anything else is a bug and keeps its stack trace (exit code 1).
 */
public final class CliExceptionHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
  public static final int USER_ERROR = 2;

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    if (isUserError(e)) {
      cmd.getErr().println(cmd.getColorScheme().errorText("error: " + e.getMessage()));
      return USER_ERROR;
    }
    cmd.getErr().println(cmd.getColorScheme().stackTraceText(e));
    return 1;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    cmd.getErr().println(cmd.getColorScheme().errorText("error: " + e.getMessage() + " (see './donorstream "
        + cmd.getCommandSpec().qualifiedName(" ").replaceFirst("^donorstream ?", "") + " --help')"));
    return USER_ERROR;
  }

  static boolean isUserError(Throwable e) {
    return e instanceof UserError || e instanceof KafkaAccessException || e instanceof H5adException || e instanceof ArtifactException
        || e instanceof io.donorstream.registry.RegistryException || e instanceof TrainingDiverged
        || e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException || e instanceof java.io.IOException;
  }

  /** A CommandLine with this handler installed on it and every subcommand. */
  public static CommandLine install(CommandLine cl) {
    CliExceptionHandler h = new CliExceptionHandler();
    cl.setExecutionExceptionHandler(h);
    cl.setParameterExceptionHandler(h);
    return cl;
  }
}
