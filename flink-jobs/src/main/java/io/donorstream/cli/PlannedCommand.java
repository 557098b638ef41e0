package io.donorstream.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** A command of ARCHITECTURE.md that is not built yet: it says so, and what it will do. */
final class PlannedCommand implements Callable<Integer> {
  static final int NOT_BUILT = 3;
  private final String name;
  private CommandSpec spec;

  private PlannedCommand(String name) {
    this.name = name;
  }

  static CommandLine of(String name, String description) {
    PlannedCommand command = new PlannedCommand(name);
    CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
    command.spec = spec;
    spec.name(name).mixinStandardHelpOptions(true);
    spec.usageMessage().description(description + " [not built yet]");
    spec.parser().unmatchedArgumentsAllowed(true);
    return new CommandLine(spec);
  }

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("error: './donorstream " + name + "' is not built yet in this version; see README.md for what works today");
    return NOT_BUILT;
  }
}
